from django.urls import path

from . import views

urlpatterns = [
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/new/", views.cluster_create, name="cluster_create"),
    path("clusters/dashboard/", views.cluster_dashboard, name="cluster_dashboard"),
    path("clusters/my-forms/", views.my_forms, name="cluster_my_forms"),
    path("clusters/my-forms/<int:form_pk>/act/<slug:action>/", views.my_form_act, name="cluster_my_form_act"),
    path("clusters/my-forms/<int:form_pk>.pdf", views.my_form_pdf, name="cluster_my_form_pdf"),
    path("clusters/reports/", views.cluster_reports, name="cluster_reports"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster_detail"),
    path("clusters/<int:pk>/edit/", views.cluster_edit, name="cluster_edit"),
    path("clusters/<int:pk>/act/<slug:action>/", views.cluster_act, name="cluster_act"),
    path("clusters/<int:pk>/decisions/", views.decision_add, name="cluster_decision_add"),
    path("clusters/<int:pk>/infrastructure/", views.infrastructure_set, name="cluster_infrastructure_set"),
    path("clusters/<int:pk>/supports/", views.support_add, name="cluster_support_add"),
    path("clusters/<int:pk>/projects/", views.project_link, name="cluster_project_link"),
    path("clusters/<int:pk>/works/", views.component_set, name="cluster_component_set"),
    path("clusters/<int:pk>/tenants/", views.tenant_add, name="cluster_tenant_add"),
    path("clusters/<int:pk>/land/", views.snapshot_add, name="cluster_snapshot_add"),
    path("clusters/<int:pk>/forms/", views.form_save, name="cluster_form_save"),
    path("clusters/<int:pk>/forms/<int:form_pk>/act/<slug:action>/", views.form_act, name="cluster_form_act"),
    path("clusters/<int:pk>/forms/<int:form_pk>.xlsx", views.form_xlsx, name="cluster_form_xlsx"),
    path("clusters/<int:pk>/forms/<int:form_pk>.pdf", views.form_pdf, name="cluster_form_pdf"),
    path("clusters/<int:pk>/accounts/", views.account_add, name="cluster_account_add"),
    path("clusters/<int:pk>/procedures/", views.procedure_start, name="cluster_procedure_start"),
    path("clusters/<int:pk>/procedures/<int:procedure_pk>/act/<slug:action>/", views.procedure_act,
         name="cluster_procedure_act"),
    path("clusters/<int:pk>/procedures/<int:procedure_pk>/bids/", views.bid_add, name="cluster_bid_add"),
]
