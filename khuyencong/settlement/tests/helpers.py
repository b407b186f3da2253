"""Builders of the settlement tests: projects through the projects services, planted double supports."""

from khuyencong.projects.tests.factories import make_establishment, make_plan
from khuyencong.projects.tests.journey import draft, walk
from khuyencong.registry.models import SupportRecord

__all__ = ["draft", "make_establishment", "make_plan", "planted_record", "walk"]


def planted_record(establishment, *, year=2025, fund="local", content="machinery", description="Máy sao chè",
                   amount=100_000_000) -> SupportRecord:
    return SupportRecord.objects.create(establishment=establishment, year=year, fund=fund, content_code=content,
                                        description=description, amount=amount)
