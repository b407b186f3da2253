"""The network's main page: the province's dashboard for staff, the collaborator's own page for a collaborator."""


from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from khuyencong.accounts.scope import user_scope
from khuyencong.core.periods import Period, PeriodKind

from .. import selectors
from ..models import ApplicationStatus, Collaborator
from ..permissions import can_record_field
from .common import province_context, staff_province
from .field_app import field_messages


def collaborator_page(request, collaborator: Collaborator):
    today = timezone.localdate()
    period = Period.containing(today, PeriodKind.MONTH)
    regulation = selectors.regulation_in_force(collaborator.province, today)
    figures = selectors.collaborator_figures(collaborator, [period], regulation)[0]
    tasks = list(selectors.open_tasks(collaborator))
    announcements = list(selectors.announcement_list(user=request.user)[:5])
    communes = [c.unit for c in collaborator.coverages.filter(end_date__isnull=True).select_related("unit")
                .order_by("unit__name")]
    return render(request, "network/me.html", {
        "me": collaborator,
        "communes": communes,
        "tasks": tasks,
        "overdue": sum(1 for t in tasks if t.overdue),
        "can_record": can_record_field(request.user, collaborator),
        "today": today,
        "period": period,
        "activity": figures["a"],
        "fees": figures["fees"],
        "score": figures["score"],
        "regulation": regulation,
        "announcements": announcements,
        "unread": sum(1 for a in announcements if not getattr(a, "read_by_me", True)),
        "records": selectors.recent_records(collaborator),
        "messages_js": {"logout_warning": field_messages()["logout_warning"]},
    })


@login_required
def network_home(request):
    scope = user_scope(request.user)
    me = selectors.my_collaborator(request.user)
    if me is not None and not scope.national and not scope.province_ids:
        return collaborator_page(request, me)
    province = staff_province(request)
    context = province_context(request, province, "home")
    if province is None:
        return render(request, "network/no_network.html", context)
    today = timezone.localdate()
    summary = selectors.coverage_summary(province)
    context.update({
        "regulation": selectors.regulation_in_force(province, today),
        "counts": selectors.collaborator_counts(province),
        "summary": summary,
        "pending": selectors.pending_counts([province.pk]),
        "ending": selectors.terms_ending(province, today)[:10],
        "applications": selectors.application_list(user=request.user, status=ApplicationStatus.SUBMITTED)
        .filter(province=province)[:5],
        "today": today,
    })
    return render(request, "network/home.html", context)
