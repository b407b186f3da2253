"""The pages of consulting."""

from django.urls import path

from . import views

urlpatterns = [
    path("consulting/", views.home, name="consulting_home"),
    path("consulting/quotations/", views.quotations, name="consulting_quotations"),
    path("consulting/quotations/<int:pk>/", views.quotation_detail, name="consulting_quotation"),
    path("consulting/quotations/<int:pk>/act/<slug:action>/", views.quotation_act, name="consulting_quotation_act"),
    path("consulting/quotations/<int:pk>/document/", views.quotation_document, name="consulting_quotation_document"),
    path("consulting/contracts/new/", views.contract_new, name="consulting_contract_new"),
    path("consulting/contracts/<int:pk>/", views.contract_detail, name="consulting_contract"),
    path("consulting/contracts/<int:pk>/act/<slug:action>/", views.contract_act, name="consulting_contract_act"),
    path("consulting/contracts/<int:pk>/do/<slug:what>/", views.contract_post, name="consulting_contract_post"),
    path("consulting/contracts/<int:pk>/document/<slug:kind>/", views.contract_document,
         name="consulting_contract_document"),
    path("consulting/visits/<int:pk>/photo/", views.visit_photo, name="consulting_visit_photo"),
    path("consulting/clients/", views.clients, name="consulting_clients"),
    path("consulting/engineers/", views.engineers, name="consulting_engineers"),
    path("consulting/revenue/", views.revenue, name="consulting_revenue"),
    path("consulting/revenue.xlsx", views.revenue_export, name="consulting_revenue_export"),
]
