from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "khuyencong.network"
    label = "network"
    verbose_name = _("Collaborator network")

    def ready(self) -> None:
        from . import flows  # noqa: F401  (registers the badge tones of the network's lifecycles)
