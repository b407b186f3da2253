from django.urls import path

from . import views

urlpatterns = [
    path("units/", views.unit_list, name="geo_unit_list"),
    path("units/resolve/", views.resolve, name="geo_resolve"),
    path("units/<int:unit_id>/", views.unit_detail, name="geo_unit_detail"),
]
