from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "khuyencong.accounts"
    label = "accounts"
    verbose_name = _("Users and organisations")

    def ready(self):
        from . import signals  # signals connect once the models are loaded

        signals.connect()

        from . import otp  # the second-factor state of a session, worked out at sign-in

        otp.connect()
        from . import token_signals  # noqa: F401  (API tokens follow password changes and deactivation)
