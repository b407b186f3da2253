from django.urls import path

from . import views

urlpatterns = [
    path("rules/", views.rule_index, name="rules_index"),
    path("rules/quote/", views.rule_quote, name="rules_quote"),
]
