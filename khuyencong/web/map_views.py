"""The outlines the maps draw (web/map_outlines.py), served from our origin so a map works with no internet."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .map_outlines import OutlinesUnavailable, outlines_json


@login_required
@require_GET
def map_outlines(request):
    try:
        key, body = outlines_json()
    except OutlinesUnavailable:
        return JsonResponse({"detail": _("The map outlines are not available on this server.")}, status=503)
    etag = f'"{key}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=86400"
    return response
