from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "khuyencong.api"
    label = "kc_api"
    verbose_name = "API"
