from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "khuyencong.awards"
    label = "awards"
    verbose_name = _("Product awards")
