from django.urls import path

from . import views

urlpatterns = [
    path("awards/", views.round_list, name="awards_round_list"),
    path("awards/rounds/new/", views.round_create, name="awards_round_create"),
    path("awards/rounds/<int:pk>/", views.round_detail, name="awards_round_detail"),
    path("awards/rounds/<int:pk>/act/", views.round_act, name="awards_round_act"),
    path("awards/rounds/<int:pk>/members/", views.member_add, name="awards_member_add"),
    path("awards/rounds/<int:pk>/members/<int:member>/remove/", views.member_remove, name="awards_member_remove"),
    path("awards/rounds/<int:pk>/bands/", views.bands, name="awards_bands"),
    path("awards/rounds/<int:pk>/bands/approve/", views.bands_approve, name="awards_bands_approve"),
    path("awards/rounds/<int:pk>/complaints/", views.complaint_add, name="awards_complaint_add"),
    path("awards/rounds/<int:pk>/nominate/", views.nominate, name="awards_nominate"),
    path("awards/rounds/<int:pk>/nominations.xlsx", views.nomination_export, name="awards_nomination_export"),
    path("awards/rounds/<int:pk>/entries/new/", views.entry_create, name="awards_entry_create"),
    path("awards/complaints/<int:pk>/answer/", views.complaint_answer, name="awards_complaint_answer"),
    path("awards/entries/<int:pk>/", views.entry_detail, name="awards_entry_detail"),
    path("awards/entries/<int:pk>/act/", views.entry_act, name="awards_entry_act"),
    path("awards/entries/<int:pk>/documents/", views.document_add, name="awards_document_add"),
    path("awards/entries/<int:pk>/documents/<int:doc>/", views.document_file, name="awards_document_file"),
    path("awards/entries/<int:pk>/reports/", views.holder_report_add, name="awards_holder_report_add"),
    path("awards/entries/<int:pk>/sheet/", views.sheet, name="awards_sheet"),
    path("awards/certificates/<int:pk>/document/", views.certificate_document_view, name="awards_certificate_document"),
    path("awards/certificates/<int:pk>/revoke/", views.certificate_revoke, name="awards_certificate_revoke"),
    path("san-pham/", views.catalogue, name="awards_catalogue"),
    path("san-pham/xac-minh/", views.verify, name="awards_verify"),
    path("san-pham/<int:pk>/", views.product, name="awards_product"),
    path("san-pham/<int:pk>/anh/<int:doc>/", views.product_photo, name="awards_product_photo"),
]
