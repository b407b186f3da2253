"""The home page's figures, computed for the user's scope in a fixed number of queries; what an establishment's
timeline (registry) shows of the projects and events that took it in."""

from django.db.models import Count, Q
from django.urls import reverse

from khuyencong.accounts.models import Organisation, RoleAssignment
from khuyencong.accounts.scope import user_scope
from khuyencong.core.audit import action_label, object_url
from khuyencong.core.models import AuditEvent
from khuyencong.events.selectors import establishment_event_items
from khuyencong.geo.models import AdminUnit, Succession
from khuyencong.projects.models import EDITABLE_STATUSES, ProjectStatus


def home_figures(*, user) -> dict:
    scope = user_scope(user)
    province_ids = scope.province_ids | scope.commune_province_ids
    provinces = AdminUnit.objects.current().provinces()
    communes = AdminUnit.objects.current().communes()
    if not scope.national:
        provinces = provinces.filter(pk__in=province_ids)
        communes = communes.filter(
            Q(province_id__in=scope.province_ids) | Q(pk__in=scope.commune_ids)
        )
    by_kind = dict(communes.values_list("kind").annotate(n=Count("id")).order_by())
    legacy_communes = Succession.objects.filter(legacy__level="commune", current__in=communes).values(
        "legacy_id"
    ).distinct().count()
    organisations = Organisation.objects.filter(is_active=True)
    assignments = RoleAssignment.objects.filter(is_active=True, user__is_active=True)
    if not scope.national:
        organisations = organisations.filter(province_id__in=province_ids)
        assignments = assignments.filter(organisation__province_id__in=province_ids)
    return {
        "national": scope.national,
        "provinces": list(provinces.order_by("name").values_list("name", flat=True)[:5]) if not scope.national else [],
        "province_count": provinces.count(),
        "commune_count": sum(by_kind.values()),
        "communes_by_kind": {
            "xa": by_kind.get("xa", 0), "phuong": by_kind.get("phuong", 0), "dac_khu": by_kind.get("dac_khu", 0),
        },
        "legacy_commune_count": legacy_communes,
        "organisation_count": organisations.count(),
        "people_count": assignments.values("user_id").distinct().count(),
        # Work on records, in words; the sign-ins and sign-outs also in the trail are not.
        "recent_actions": [
            {"at": event.at, "label": action_label(event.action), "object": event.object_repr,
             "url": object_url(event)}
            for event in AuditEvent.objects.filter(actor=user).exclude(action__startswith="auth.")
            .select_related("content_type").order_by("-at")[:6]
        ],
    }


def establishment_project_items(*, establishment) -> list[dict]:
    """The approved projects (and those further on) that name the establishment as a beneficiary."""
    not_supported = (*EDITABLE_STATUSES, ProjectStatus.SUBMITTED, ProjectStatus.REJECTED)
    projects = establishment.kc_projects.exclude(status__in=not_supported).select_related("plan")
    return [
        {"year": p.plan.year, "kind": "project", "title": f"{p.code} — {p.title}", "fund": p.plan.get_fund_display(),
         "amount": None, "content": "", "url": reverse("project_detail", args=[p.pk]), "status": p.get_status_display()}
        for p in projects
    ]


def establishment_training_items(*, establishment) -> list[dict]:
    """The trainings, study tours and fairs the establishment took part in (no page of their own to link)."""
    return [{**item, "url": ""} for item in establishment_event_items(establishment=establishment)]
