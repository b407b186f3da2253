from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def rule_index(request):
    return HttpResponse("")
