"""The one place where a collaborator's support-needs registration becomes a project proposal.

It uses only the projects module's public services (`project_create`, `project_beneficiary_add`,
`project_content_add`), so the project gets its code, checks and audit exactly as if the centre had typed it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation, OrganisationKind
from khuyencong.core.errors import InvalidInput
from khuyencong.core.text import normalize_text
from khuyencong.projects import services as project_services
from khuyencong.projects.models import ProjectKind
from khuyencong.rules import engine
from khuyencong.rules.models import FundSource


def implementing_organisation(province) -> Organisation:
    """The province's KC centre, which implements the proposals its collaborators bring in."""
    org = (Organisation.objects.filter(province=province, kind=OrganisationKind.KC_CENTRE, is_active=True)
           .order_by("id").first())
    if org is None:
        raise InvalidInput(_("%(province)s has no active KC centre in Organisations to implement the project.")
                           % {"province": province.name}, field="plan")
    return org


def default_title(record) -> str:
    content = engine.content_get(record.content_code)
    return normalize_text(f"{content.name} — {record.establishment.name}")[:400]


def proposal_from_need(*, actor, record, plan, title: str = ""):
    """Drafts a KC project in `plan` for the registration's establishment and content. The requested support is the
    most the rule in force allows for the expected cost (the rest is the establishment's counterpart); when no rule
    gives a quote, the project is drafted without the content and the note says why. Returns (project, notes)."""
    if plan.fund == FundSource.LOCAL and plan.province_id != record.province_id:
        raise InvalidInput(_("A local plan takes only projects of its own province."), field="plan")
    notes: list[str] = []
    title = normalize_text(title) or default_title(record)
    project = project_services.project_create(
        actor=actor, plan=plan, province=record.province,
        data={"title": title, "kind": ProjectKind.STANDARD, "commune": record.commune,
              "implementing_org": implementing_organisation(record.province),
              "objectives": record.notes},
    )
    project_services.project_beneficiary_add(actor=actor, project=project, establishment=record.establishment)
    cost = record.expected_cost_vnd or 0
    try:
        with transaction.atomic():
            quote = engine.support_quote(record.content_code, plan.fund,
                                         record.province.code if plan.fund == FundSource.LOCAL else None, cost,
                                         timezone.localdate())
            support = min(quote.support_vnd, cost)
            project_services.project_content_add(
                actor=actor, project=project, content=record.content_code, eligible_cost=cost,
                requested_support=support, counterpart=cost - support, establishment=record.establishment,
                description=_("From the needs registration of %(date)s") % {
                    "date": record.occurred_on.strftime("%d/%m/%Y")})
    except InvalidInput as exc:
        notes.append(_("The content was not budgeted: %(reason)s") % {"reason": exc.message})
    return project, notes
