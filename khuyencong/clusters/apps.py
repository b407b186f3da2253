from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "khuyencong.clusters"
    label = "clusters"
    verbose_name = _("Industrial clusters")

    def ready(self) -> None:
        from khuyencong.projects import support_checks

        from . import history
        from .checks import state_support_cap

        support_checks.register(state_support_cap)
        history.register()
