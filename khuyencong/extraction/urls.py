"""The pages of extraction."""
from django.urls import path

from . import views

urlpatterns = [
    path("extraction/", views.extraction_list, name="extraction_list"),
    path("extraction/<int:pk>/", views.extraction_detail, name="extraction_detail"),
    path("extraction/<int:pk>/accept/", views.extraction_accept, name="extraction_accept"),
    path("extraction/<int:pk>/reject/", views.extraction_reject, name="extraction_reject"),
]
