"""The audit trail's search page, for the national system administrator."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .audit import (
    ACTION_LABELS,
    ACTION_PREFIXES,
    audit_search,
    can_search_audit,
    history_rows,
    object_url,
    register_object_page,
)
from .forms import date_from_text
from .paging import int_or_none, page_context

# The modules' record pages, by model label (strings: the kernel imports no module). A new module adds its own with
# register_object_page in its AppConfig.ready().
for _label, _url_name in {
    "accounts.organisation": "organisation_detail",
    "geo.adminunit": "geo_unit_detail",
    "registry.establishment": "establishment_detail",
    "registry.importjob": "establishment_import_detail",
    "projects.project": "project_detail",
    "projects.annualplan": "plan_detail",
    "network.collaborator": "network_collaborator_detail",
    "network.collaboratorapplication": "network_application_detail",
    "network.fieldrecord": "network_field_detail",
    "network.announcement": "network_announcement_detail",
    "network.feesheet": "network_fee_detail",
    "events.event": "event_detail",
    "events.lesson": "lesson_detail",
    "reporting.report": "report_detail",
    "reporting.exportjob": "report_export_detail",
}.items():
    register_object_page(_label, _url_name)

# Counting stops here on a national trail: beyond it the administrator narrows the search.
COUNT_LIMIT = 10_000


def _record_types() -> list[tuple[int, str]]:
    models = [m for m in apps.get_models()
              if m.__module__.startswith("khuyencong.") or m._meta.label_lower == "auth.group"]
    types = ContentType.objects.get_for_models(*models)
    return sorted(((types[m].pk, capfirst(str(m._meta.verbose_name))) for m in models), key=lambda t: t[1].lower())


def _action_choices() -> list[tuple[str, str]]:
    groups = [(prefix, str(label)) for prefix, label in ACTION_PREFIXES.items()]
    return groups + sorted(((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda t: t[1])


@login_required
def audit_search_view(request):
    if not can_search_audit(request.user):
        return render(request, "core/audit_refused.html", status=403)
    params = request.GET
    errors = []
    dates, typed = {}, {}
    for name in ("date_from", "date_to"):
        text = typed[name] = params.get(name, "").strip()[:20]
        dates[name] = date_from_text(text) if text else None
        if text and dates[name] is None:
            errors.append(_("“%(text)s” is not a date: type it as dd/mm/yyyy.") % {"text": text})
    record_type = params.get("type", "")
    filters = {
        "actor": params.get("actor", "")[:150],
        "action": params.get("action", "")[:80],
        "text": params.get("q", "")[:300],
        "content_type_id": int_or_none(record_type),
    }
    events = audit_search(**filters, **dates)
    context = page_context(request, events, count_limit=COUNT_LIMIT)
    context["rows"] = [
        {**row, "url": object_url(row["event"]), "type": _record_type(row["event"])}
        for row in history_rows(context["page"].object_list)
    ]
    context.update(
        filters=filters, errors=errors, record_types=_record_types(), actions=_action_choices(),
        date_from=dates["date_from"] or typed["date_from"], date_to=dates["date_to"] or typed["date_to"],
    )
    return render(request, "core/audit_search.html", context)


def _record_type(event) -> str:
    model = event.content_type.model_class() if event.content_type_id else None
    return capfirst(str(model._meta.verbose_name)) if model else ""
