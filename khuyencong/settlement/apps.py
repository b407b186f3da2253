from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "khuyencong.settlement"
    label = "settlement"
    verbose_name = _("Settlement and policy")

    def ready(self) -> None:
        from khuyencong.projects import support_checks

        from . import checks, flows  # noqa: F401 (the badges of the lifecycles)

        support_checks.register(checks.support_check)
