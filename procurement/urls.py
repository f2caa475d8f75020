from django.urls import path

from . import export_views, search_views, views

app_name = "contracts"

# Fixed paths come before `<reference>/` so they are never read as a reference.
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("downloads/", views.download_log, name="downloads"),
    path(
        "organisations.json",
        search_views.organisation_suggestions,
        name="organisation-suggestions",
    ),
    path("export.csv", views.contract_export_csv, name="export-csv"),
    path("export.xlsx", views.contract_export_xlsx, name="export-xlsx"),
    path("exports/<uuid:job_id>/", export_views.export_job_detail, name="export-job"),
    path("exports/<uuid:job_id>/file", export_views.export_job_file, name="export-job-file"),
    path("<reference:reference>/", views.contract_detail, name="detail"),
    path("<reference:reference>/summary.pdf", views.contract_summary_pdf, name="summary-pdf"),
]
