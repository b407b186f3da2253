"""The network's main page: the province's dashboard for staff, the collaborator's own page for a collaborator."""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from khuyencong.accounts.scope import user_scope

from .. import performance, selectors
from ..models import ApplicationStatus, Collaborator, CollaboratorStatus, PeriodKind
from ..periods import Period
from .common import province_context, staff_province


def collaborator_page(request, collaborator: Collaborator):
    today = timezone.localdate()
    period = Period.containing(today, PeriodKind.MONTH)
    activity = performance.activity_for([collaborator.pk], period)[collaborator.pk]
    regulation = selectors.regulation_in_force(collaborator.province, today)
    fees = performance.fees(performance.scheme_of(regulation), activity) if regulation else None
    score = performance.score(list(regulation.criteria.all()), activity) if regulation else None
    tasks = list(selectors.open_tasks(collaborator))
    announcements = list(selectors.announcement_list(user=request.user)[:5])
    communes = [c.unit for c in collaborator.coverages.filter(end_date__isnull=True).select_related("unit")
                .order_by("unit__name")]
    return render(request, "network/me.html", {
        "me": collaborator,
        "communes": communes,
        "tasks": tasks,
        "overdue": sum(1 for t in tasks if t.due_date < today),
        "today": today,
        "period": period,
        "activity": activity,
        "fees": fees,
        "score": score,
        "regulation": regulation,
        "announcements": announcements,
        "unread": sum(1 for a in announcements if not getattr(a, "read_by_me", True)),
        "records": selectors.recent_records(collaborator),
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
    counts = dict(Collaborator.objects.filter(province=province).values_list("status").annotate(n=Count("pk"))
                  .order_by())
    summary = selectors.coverage_summary(province)
    context.update({
        "regulation": selectors.regulation_in_force(province, today),
        "counts": {s: counts.get(s, 0) for s in CollaboratorStatus.values},
        "summary": summary,
        "pending": selectors.pending_counts([province.pk]),
        "ending": Collaborator.objects.filter(province=province, status=CollaboratorStatus.ACTIVE,
                                              term_end__lte=today + datetime.timedelta(days=60))
        .order_by("term_end")[:10],
        "applications": selectors.application_list(user=request.user, status=ApplicationStatus.SUBMITTED)
        .filter(province=province)[:5],
        "today": today,
    })
    return render(request, "network/home.html", context)
