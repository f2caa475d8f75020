from django.urls import path

from . import views

app_name = "contracts"

# Fixed paths come before `<reference>/` so they are never read as a reference.
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("downloads/", views.download_log, name="downloads"),
    path("export.csv", views.contract_export_csv, name="export-csv"),
    path("export.xlsx", views.contract_export_xlsx, name="export-xlsx"),
    path("<reference:reference>/", views.contract_detail, name="detail"),
    path("<reference:reference>/summary.pdf", views.contract_summary_pdf, name="summary-pdf"),
]
