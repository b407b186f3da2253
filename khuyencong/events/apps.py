from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "khuyencong.events"
    label = "events"
    verbose_name = _("Events, study tours and lessons")

    def ready(self) -> None:
        from . import flows  # noqa: F401  (registers the badge tones of the event and follow-up statuses)
