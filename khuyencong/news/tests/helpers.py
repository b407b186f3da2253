"""Builders for the news tests: articles made and moved through the services."""

import importlib
import io

from khuyencong.geo.models import AdminUnit
from khuyencong.news import services


def province(code: int) -> AdminUnit:
    return AdminUnit.objects.get(scheme="current", level="province", code=code)


def make_article(writer, code: int | None = 12, *, title: str = "Lớp đào tạo nghề đan lát", body: str = "Nội dung.",
                 lead: str = "Mở lớp đào tạo nghề cho lao động nông thôn.", **data):
    return services.article_create(actor=writer, province=province(code) if code else None,
                                   data={"title": title, "lead": lead, "body": body, **data})


def move(article, *steps):
    """Applies (actor, action) steps, each with the version just read."""
    for actor, action, *reason in steps:
        article.refresh_from_db()
        services.article_transition(actor=actor, article=article, action=action, version=article.version,
                                    inputs={"reason": reason[0] if reason else ""})
    article.refresh_from_db()
    return article


def publish(article, writer, reviewer):
    return move(article, (writer, "submit"), (reviewer, "approve"), (writer, "publish"))


# The demo seeders news builds on (the modules below it), then news itself: a demo test of news does not depend on
# the modules that sit beside it.
DEMO_BASE = ["accounts", "rules", "registry", "projects", "network", "events", "news"]


def seed_news_demo() -> None:
    for name in DEMO_BASE:
        importlib.import_module(f"khuyencong.{name}.demo").seed(io.StringIO())
