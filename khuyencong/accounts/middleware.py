"""Sessions that end after inactivity."""

import time

from django.conf import settings

SEEN_KEY = "kc_seen"


def session_seen(session) -> None:
    session[SEEN_KEY] = int(time.time())


class SessionIdleMiddleware:
    """A session ends SESSION_COOKIE_AGE seconds after its last request. Django's SESSION_SAVE_EVERY_REQUEST would
    write the session on every request for that; this writes it (and so moves its end and the cookie's) at most
    once per KC_SESSION_REFRESH_SECONDS, so a page costs no write and the end is late by at most that much.
    Placed after SessionMiddleware: the session is saved after this has marked it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            seen = session.get(SEEN_KEY)
            if not isinstance(seen, int) or time.time() - seen >= settings.KC_SESSION_REFRESH_SECONDS:
                session_seen(session)
        return response
