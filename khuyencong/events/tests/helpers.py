"""Builders for the events tests: events, participants and uploads made through the services."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.models import Organisation, OrganisationKind
from khuyencong.accounts.tests.factories import organisation_for, province
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.tests.scope_cases import make_establishment

from .. import services

LAI_CHAU, TAY_NINH, CAN_THO, HCM = 12, 80, 92, 79
D = datetime.date
PDF = b"%PDF-1.4\n%test\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def legacy_province(code: int) -> AdminUnit:
    return AdminUnit.objects.get(scheme="legacy", level="province", code=code)


def centre(code: int) -> Organisation:
    return organisation_for(OrganisationKind.KC_CENTRE, code)


def pdf(name: str = "ky.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_event(actor, code: int = LAI_CHAU, **fields):
    data = {"kind": "study_tour_domestic", "audience": "officials", "title": f"Đoàn học tập kinh nghiệm {code}",
            "organiser": centre(code), "content": "kc_capacity", "fund": "local",
            "start_date": D(2026, 3, 2), "end_date": D(2026, 3, 4), **fields}
    return services.event_create(actor=actor, data=data)


def make_training(actor, code: int = LAI_CHAU, **fields):
    return make_event(actor, code, **{"kind": "training", "audience": "", "title": f"Lớp dệt thổ cẩm {code}",
                                      "content": "training", "occupation": "Dệt thổ cẩm",
                                      "start_date": D(2026, 3, 2), "end_date": D(2026, 3, 3), **fields})


def person(actor, event, name: str, role: str = "member", origin: str = "centre", **fields):
    return services.participant_add(actor=actor, event=event, data={"full_name": name, "role": role,
                                                                    "origin": origin, **fields})


def establishment(code: int = LAI_CHAU, **fields):
    return make_establishment(code, **fields)


__all__ = ["province"]
