from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "khuyencong.registry"
    label = "registry"
    verbose_name = _("Establishment registry")


    def ready(self) -> None:
        from khuyencong.core import badges

        from .models import ImportJob

        badges.register("import", {ImportJob.Status.VALIDATED: "text-bg-info", ImportJob.Status.DONE: "text-bg-success",
                                   ImportJob.Status.FAILED: "text-bg-danger"})
