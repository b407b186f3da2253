"""The conflict check: a client who receives KC support for the same work (the same establishment, the same KC
content or the same site commune, overlapping dates) is flagged to the director before the contract is signed.

Reads `projects` through its models (a lower layer): a project counts from its submission on, until it is rejected
or stopped."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from khuyencong.projects.models import Project, ProjectStatus

NOT_SUPPORT = (ProjectStatus.DRAFT, ProjectStatus.RETURNED, ProjectStatus.REJECTED, ProjectStatus.STOPPED)


def _overlap(project: Project, start: datetime.date, end: datetime.date) -> bool:
    p_start = project.start_date or datetime.date(project.year, 1, 1)
    p_end = project.end_date or datetime.date(project.year, 12, 31)
    return p_start <= end and start <= p_end


def conflicts_for(contract) -> list[dict]:
    """The KC projects of the contract's client establishment on the same work: [{code, title, status, why}]."""
    establishment_id = contract.client.establishment_id if contract.client_id else None
    if not establishment_id:
        return []
    projects = (Project.objects.exclude(status__in=NOT_SUPPORT)
                .filter(Q(beneficiary_links__establishment_id=establishment_id)
                        | Q(contents__establishment_id=establishment_id))
                .distinct().prefetch_related("contents__content"))
    contents = set(contract.service_line.kc_contents or [])
    found = []
    for project in projects:
        if not _overlap(project, contract.start_date, contract.end_date):
            continue
        same_content = sorted({c.content.code for c in project.contents.all()} & contents)
        same_site = project.commune_id is not None and project.commune_id == contract.site_commune_id
        if not (same_content or same_site):
            continue
        why = []
        if same_content:
            names = ", ".join(c.content.name for c in project.contents.all() if c.content.code in same_content)
            why.append(_("same KC content: %(names)s") % {"names": names[:200]})
        if same_site:
            why.append(_("same site"))
        found.append({"id": project.pk, "code": project.code, "title": project.title,
                      "status": project.get_status_display(), "why": "; ".join(why)})
    return found
