from django.urls import path

from .views import dashboards, reports

urlpatterns = [
    # --- dashboards, indicators, comparison ---
    path("reporting/", dashboards.dashboard, name="reporting_dashboard"),
    path("reporting/export.xlsx", dashboards.dashboard_export, name="reporting_dashboard_export"),
    path("reporting/indicators/", dashboards.indicator_catalogue, name="reporting_indicators"),
    path("reporting/indicators/export.xlsx", dashboards.indicator_catalogue_export,
         name="reporting_indicators_export"),
    path("reporting/compare/", dashboards.compare, name="reporting_compare"),
    path("reporting/compare/export.xlsx", dashboards.compare_export, name="reporting_compare_export"),
    # --- periodic reports ---
    path("reporting/reports/", reports.report_list_view, name="report_list"),
    path("reporting/reports/new/", reports.report_create_view, name="report_create"),
    path("reporting/reports/completeness/", reports.report_completeness_view, name="report_completeness"),
    path("reporting/reports/exports/", reports.report_export_start_view, name="report_export_start"),
    path("reporting/reports/exports/<int:pk>/", reports.report_export_detail_view, name="report_export_detail"),
    path("reporting/reports/exports/<int:pk>/download/", reports.report_export_download_view,
         name="report_export_download"),
    path("reporting/reports/<int:pk>/", reports.report_detail_view, name="report_detail"),
    path("reporting/reports/<int:pk>/narrative/", reports.report_narrative_view, name="report_narrative"),
    path("reporting/reports/<int:pk>/act/<slug:action>/", reports.report_act_view, name="report_act"),
    path("reporting/reports/<int:pk>/report.xlsx", reports.report_xlsx_view, name="report_xlsx"),
    path("reporting/reports/<int:pk>/report.pdf", reports.report_pdf_view, name="report_pdf"),
]
