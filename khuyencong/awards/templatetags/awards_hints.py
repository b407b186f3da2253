"""What the awards show on other modules' pages: on a KC project, the certified products of its beneficiaries, which
have priority for KC support (TT 26/2014/TT-BCT Điều 21). The project page loads this tag; projects import nothing
from awards."""

from django import template
from django.utils import timezone

from khuyencong.projects.models import ProjectStatus

from ..selectors import valid_certificates_of_project

register = template.Library()

# The priority matters while the project is proposed and appraised; once approved it has its support.
PROPOSED = {ProjectStatus.DRAFT, ProjectStatus.SUBMITTED, ProjectStatus.RETURNED, ProjectStatus.BASE_APPRAISED,
            ProjectStatus.REGISTERED, ProjectStatus.MINISTRY_APPRAISED, ProjectStatus.COUNCIL_APPRAISED}


@register.inclusion_tag("awards/_kc_priority.html")
def certified_products_hint(project):
    if project.status not in PROPOSED:
        return {"certificates": []}
    return {"certificates": list(valid_certificates_of_project(project.pk, timezone.localdate()))}
