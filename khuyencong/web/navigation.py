"""The modules shown in the top navigation, in the order of the menu; a new module adds its entry here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import holds_role
from khuyencong.clusters.permissions import MY_FORMS_MENU, has_cluster_account
from khuyencong.consulting.permissions import reads_consulting
from khuyencong.core.audit import can_search_audit
from khuyencong.extraction.permissions import is_staff as reads_articles
from khuyencong.news.permissions import works_on_news


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    section: str  # the start of the path that marks the item active (the longest of the matching items wins)
    reference: bool = False  # reference data (organisations, rules, units): grouped under one menu
    more: bool = False  # the other lines of work (clusters, awards, services…): grouped under one menu
    shown_to: Callable[[object], bool] | None = None  # who sees the item; everyone signed in when None

    def url(self) -> str:
        return reverse(self.url_name)

    def visible_to(self, user) -> bool:
        return self.shown_to is None or self.shown_to(user)

    def matches(self, path: str) -> bool:
        path = path.strip("/")
        return path == self.section or (bool(self.section) and path.startswith(self.section + "/"))


# Periodic reports are drafted, approved and followed by offices, not by commune collaborators.
REPORT_ROLES = tuple(role for role in Role.values if role != Role.COLLABORATOR)


def _reads_reports(user) -> bool:
    return holds_role(user, *REPORT_ROLES)


NAV_ITEMS = [
    NavItem(pgettext_lazy("menu", "Home"), "home", "house", ""),
    NavItem(pgettext_lazy("menu", "Establishments"), "establishment_list", "shop", "establishments"),
    NavItem(pgettext_lazy("menu", "Projects"), "project_list", "kanban", "projects"),
    NavItem(pgettext_lazy("menu", "Collaborators"), "network_home", "people", "network"),
    NavItem(pgettext_lazy("menu", "Events and study tours"), "event_list", "calendar-event", "events"),
    NavItem(pgettext_lazy("menu", "Reports"), "reporting_dashboard", "bar-chart", "reporting"),
    NavItem(pgettext_lazy("menu", "Periodic reports"), "report_list", "file-earmark-text", "reporting/reports",
            shown_to=_reads_reports),
    # The other lines of work, under one menu ("Nghiệp vụ khác").
    NavItem(pgettext_lazy("menu", "Industrial clusters"), "cluster_list", "buildings", "clusters",
            shown_to=_reads_reports, more=True),
    NavItem(MY_FORMS_MENU, "cluster_my_forms", "file-earmark-text", "clusters/my-forms",
            shown_to=has_cluster_account),
    NavItem(pgettext_lazy("menu", "Product awards"), "awards_round_list", "award", "awards", more=True),
    NavItem(pgettext_lazy("menu", "Consulting services"), "consulting_home", "tools", "consulting",
            shown_to=reads_consulting, more=True),
    NavItem(pgettext_lazy("menu", "Settlement and policy"), "settlement_findings", "intersect", "settlement",
            shown_to=_reads_reports, more=True),
    NavItem(pgettext_lazy("menu", "News"), "news_manage_list", "newspaper", "news", shown_to=works_on_news, more=True),
    NavItem(pgettext_lazy("menu", "Reading news articles"), "extraction_list", "file-earmark-text", "extraction",
            shown_to=reads_articles, more=True),
    NavItem(pgettext_lazy("menu", "Organisations"), "organisation_list", "building", "organisations", reference=True),
    NavItem(pgettext_lazy("menu", "Rules"), "rules_index", "journal-text", "rules", reference=True),
    NavItem(pgettext_lazy("menu", "Administrative units"), "geo_unit_list", "geo-alt", "units", reference=True),
    NavItem(pgettext_lazy("menu", "Audit trail"), "audit_search", "clock-history", "audit", reference=True,
            shown_to=can_search_audit),
]
