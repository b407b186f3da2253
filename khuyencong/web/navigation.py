"""The modules shown in the top navigation. Each module adds its entry here when it lands."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    section: str  # the first path segment that marks the item active

    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS = [
    NavItem(_("Home"), "home", "house", ""),
    NavItem(_("Establishments"), "establishment_list", "shop", "establishments"),
    NavItem(_("Projects"), "project_list", "kanban", "projects"),
    NavItem(_("Collaborators"), "network_home", "people", "network"),
    NavItem(_("Events and study tours"), "event_list", "calendar-event", "events"),
    NavItem(_("Organisations"), "organisation_list", "building", "organisations"),
    NavItem(_("Rules"), "rules_index", "journal-text", "rules"),
    NavItem(_("Administrative units"), "geo_unit_list", "geo-alt", "units"),
]
