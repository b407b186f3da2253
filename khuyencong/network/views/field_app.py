"""The collaborator's field pages as an installable web app that works without signal: the app shell, its service
worker (scoped to /network/field/) and its manifest. The data come from the API (network/api.py: the working set and
the outbox's sync endpoint); the page keeps them in the phone's IndexedDB (static/network/field-app.js)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page

from .. import selectors
from ..permissions import can_record_field

# Bumped when the service worker's own logic changes; the static files it caches carry their own names.
SW_VERSION = "1"


def field_messages() -> dict:
    """The sentences field-app.js shows, translated here so the catalogue holds them."""
    return {
        "online": _("Online"), "offline": _("No signal: working on this phone"),
        "freshness": _("Data updated at %(time)s on %(date)s: %(establishments)s establishments, %(tasks)s open "
                       "tasks."),
        "waiting_since": _("waiting since %(time)s %(date)s"),
        "edit": _("Edit"), "discard": _("Discard"), "confirm_discard": _("Discard this item? It will not be sent."),
        "saved": _("Saved on this phone. It will be sent when there is a signal."),
        "sending": _("Sending…"), "sent": _("%(n)s sent."),
        "sent_refused": _("%(n)s sent, %(r)s not accepted: the reason is under each item."),
        "nothing": _("Nothing waiting."),
        "no_signal": _("No signal: the items stay on this phone and go when the signal returns."),
        "refused": _("Not accepted:"), "conflict": _("Changed on the server meanwhile:"),
        "logout_warning": _("%(n)s items on this phone have not been sent yet. Signing out now keeps them on this "
                            "phone, but only you can send them after signing in again. Sign out anyway?"),
        "kind_survey": _("Survey"), "kind_need": _("Support needs"), "kind_establishment": _("New establishment"),
        "kind_task_report": _("Task report"),
        "choose": _("— choose —"), "no_establishment": _("Choose the establishment."),
        "no_commune": _("Choose the commune."), "no_task": _("Choose the task."),
        "no_name": _("The establishment's name is required."),
        "bad_cost": _("Write the amount in đồng, e.g. 1.500.000."),
        "bad_employees": _("The number of employees is a whole number, zero or more."),
        "gps_wait": _("Finding the position…"), "gps_fail": _("The phone could not give its position."),
        "photo_fail": _("The file is not a photo we can read: choose a JPEG, PNG or WebP image."),
        "due": _("due by"), "no_task_open": _("No open task."), "no_news": _("No announcement."),
        "with_photo": _("with a photo"),
        "server_error": _("The server did not answer properly. Try again later."),
    }


@login_required
@gzip_page  # the page is most of what a phone on a slow network waits for before the script (bench/field_app.py)
def field_app(request):
    collaborator = selectors.my_collaborator(request.user)
    decision = can_record_field(request.user, collaborator)
    if not decision:
        messages.error(request, decision.reason if collaborator else
                       _("Only the collaborator themselves records their field work."))
        return redirect("network_home")
    return render(request, "network/field_app.html", {"me": collaborator, "messages_js": field_messages()})


def service_worker(request):
    """The service worker: served from under /network/field/ so its scope is the collaborator's field pages."""
    body = render(request, "network/field_sw.js", {
        "version": SW_VERSION, "app_url": reverse("network_field_app"), "offline_url": reverse("network_field_app"),
        "static_prefix": static(""),
    }).content
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("network_field_list")
    response["Cache-Control"] = "no-cache"
    return response


@never_cache
def manifest(request):
    """The web app manifest: the Vietnamese name, the icons, and the offline page as the start."""
    data = {
        "name": _("KC collaborator — field work"),
        "short_name": _("KC field work"),
        "lang": "vi",
        "start_url": reverse("network_field_app"),
        "scope": reverse("network_field_list"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5394",
        "icons": [
            {"src": static("network/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("network/icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")
