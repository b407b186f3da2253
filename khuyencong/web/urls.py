from django.urls import path

from . import map_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("map/outlines.json", map_views.map_outlines, name="map_outlines"),
]
