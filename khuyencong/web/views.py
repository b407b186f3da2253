from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .inbox import inbox_for
from .selectors import home_figures


@login_required
def home(request):
    today = timezone.localdate()
    return render(request, "web/home.html", {
        "inbox": inbox_for(request.user, today), "figures": home_figures(user=request.user), "today": today,
    })
