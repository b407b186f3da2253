from django.urls import path

from . import views

urlpatterns = [
    path("establishments/", views.establishment_list, name="establishment_list"),
    path("establishments/export.xlsx", views.establishment_export, name="establishment_export"),
    path("establishments/new/", views.establishment_create, name="establishment_create"),
    path("establishments/place-options/", views.establishment_place_options, name="establishment_place_options"),
    path("establishments/duplicates/", views.duplicate_list, name="establishment_duplicates"),
    path("establishments/merge/<int:survivor_pk>/<int:duplicate_pk>/", views.establishment_merge,
         name="establishment_merge"),
    path("establishments/merges/<int:merge_pk>/review/", views.merge_review, name="establishment_merge_review"),
    path("establishments/import/", views.import_upload, name="establishment_import"),
    path("establishments/import/template.xlsx", views.import_template, name="establishment_import_template"),
    path("establishments/import/<int:pk>/", views.import_detail, name="establishment_import_detail"),
    path("establishments/import/<int:pk>/errors.xlsx", views.import_error_file, name="establishment_import_errors"),
    path("establishments/<int:pk>/", views.establishment_detail, name="establishment_detail"),
    path("establishments/<int:pk>/edit/", views.establishment_edit, name="establishment_edit"),
    path("establishments/<int:pk>/supports/", views.support_add, name="establishment_support_add"),
]
