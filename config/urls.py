from django.contrib import admin
from django.urls import include, path

from khuyencong.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("khuyencong.core.urls")),
    path("", include("khuyencong.accounts.urls")),
    path("", include("khuyencong.geo.urls")),
    path("", include("khuyencong.rules.urls")),
    path("", include("khuyencong.registry.urls")),
    path("", include("khuyencong.projects.urls")),
    path("", include("khuyencong.network.urls")),
    path("", include("khuyencong.events.urls")),
    path("", include("khuyencong.clusters.urls")),
    path("", include("khuyencong.awards.urls")),
    path("", include("khuyencong.consulting.urls")),
    path("", include("khuyencong.settlement.urls")),
    path("", include("khuyencong.extraction.urls")),
    path("", include("khuyencong.news.urls")),
    path("", include("khuyencong.reporting.urls")),
    path("", include("khuyencong.web.urls")),
]
