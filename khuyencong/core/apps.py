from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "khuyencong.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import choices, forms

        choices.install()
        forms.install_date_input()
