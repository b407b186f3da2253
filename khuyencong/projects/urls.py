from django.urls import path

from . import views

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/todo/", views.project_todo, name="project_todo"),
    path("projects/<int:project_id>/", views.project_detail, name="project_detail"),
    path("projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:project_id>/actions/<slug:action>/", views.project_action, name="project_action"),
    path("projects/<int:project_id>/contents/new/", views.project_content_add, name="project_content_add"),
    path("projects/<int:project_id>/contents/<int:content_id>/remove/", views.project_content_remove,
         name="project_content_remove"),
    path("projects/<int:project_id>/beneficiaries/", views.project_beneficiaries, name="project_beneficiaries"),
    path("projects/<int:project_id>/beneficiaries/<int:link_id>/remove/", views.project_beneficiary_remove,
         name="project_beneficiary_remove"),
    path("projects/<int:project_id>/documents/<slug:code>/", views.project_document, name="project_document"),
    path("projects/<int:project_id>/documents/<slug:code>/file/", views.project_document_file,
         name="project_document_file"),
    path("projects/<int:project_id>/ledger/", views.project_ledger_add, name="project_ledger_add"),
    path("projects/<int:project_id>/ledger/<int:entry_id>/reverse/", views.project_ledger_reverse,
         name="project_ledger_reverse"),
    path("projects/plans/", views.plan_list, name="plan_list"),
    path("projects/plans/new/", views.plan_create, name="plan_create"),
    path("projects/plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("projects/plans/<int:plan_id>/approve/", views.plan_approve, name="plan_approve"),
    path("projects/plans/<int:plan_id>/adjust/", views.plan_adjust, name="plan_adjust"),
]
