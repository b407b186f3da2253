from django.urls import path

from . import views

urlpatterns = [
    path("audit/", views.audit_search_view, name="audit_search"),
]
