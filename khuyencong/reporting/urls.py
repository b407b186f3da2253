from django.urls import path  # noqa: F401

from .views import dashboards, reports  # noqa: F401

urlpatterns = [
    # --- dashboards, indicators, comparison ---
    # --- periodic reports ---
]
