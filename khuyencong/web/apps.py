from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "khuyencong.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self) -> None:
        # The shell ties the modules together: an establishment's timeline (registry) shows the projects and events
        # that took it in, without the registry importing the modules built on it.
        from khuyencong.registry.selectors import register_timeline_source

        from .selectors import establishment_project_items, establishment_training_items

        register_timeline_source(establishment_project_items)
        register_timeline_source(establishment_training_items)

        from . import history

        history.register()  # the modules' actions in words, for every history and the audit search
