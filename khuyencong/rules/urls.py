from django.urls import path

from . import views

urlpatterns = [
    path("rules/", views.rule_index, name="rules_index"),
]
