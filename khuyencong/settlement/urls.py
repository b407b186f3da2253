from django.urls import path

from . import views

urlpatterns = [
    path("settlement/", views.finding_list, name="settlement_findings"),
    path("settlement/findings.xlsx", views.finding_export, name="settlement_findings_export"),
    path("settlement/findings/<int:pk>/", views.finding_detail, name="settlement_finding_detail"),
    path("settlement/findings/<int:pk>/act/<slug:action>/", views.finding_act, name="settlement_finding_act"),
    path("settlement/projects/<int:pk>/", views.project_page, name="settlement_project"),
    path("settlement/projects/<int:pk>/run/", views.project_run, name="settlement_project_run"),
    path("settlement/projects/<int:pk>/obstacles/", views.obstacle_add, name="settlement_obstacle_add"),
    path("settlement/projects/<int:pk>/invoices/", views.invoice_add, name="settlement_invoice_add"),
    path("settlement/projects/<int:pk>/invoices/<int:invoice_pk>/remove/", views.invoice_remove,
         name="settlement_invoice_remove"),
    path("settlement/obstacles/<int:pk>/close/", views.obstacle_close, name="settlement_obstacle_close"),
    path("settlement/at-risk/", views.at_risk, name="settlement_at_risk"),
    path("settlement/proposals/", views.proposal_list, name="settlement_proposals"),
    path("settlement/proposals/new/", views.proposal_create, name="settlement_proposal_create"),
    path("settlement/proposals/<int:pk>/", views.proposal_detail, name="settlement_proposal"),
    path("settlement/proposals/<int:pk>/act/<slug:action>/", views.proposal_act, name="settlement_proposal_act"),
]
