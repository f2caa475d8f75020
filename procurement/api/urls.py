from django.urls import path

from . import exports, views

# The exports come before `<reference>/` so that they are never read as a reference.
urlpatterns = [
    path("contracts/", views.ContractListApi.as_view(), name="api-contract-list"),
    path(
        "contracts/export.csv", views.ContractExportCsvApi.as_view(), name="api-contract-export-csv"
    ),
    path(
        "contracts/export.xlsx",
        views.ContractExportXlsxApi.as_view(),
        name="api-contract-export-xlsx",
    ),
    path("exports/<uuid:job_id>/", exports.ExportJobApi.as_view(), name="api-export-job"),
    path(
        "exports/<uuid:job_id>/file",
        exports.ExportJobFileApi.as_view(),
        name="api-export-job-file",
    ),
    path(
        "contracts/<reference:reference>/",
        views.ContractDetailApi.as_view(),
        name="api-contract-detail",
    ),
    path(
        "contracts/<reference:reference>/end/",
        views.ContractEndApi.as_view(),
        name="api-contract-end",
    ),
    path(
        "contracts/<reference:reference>/summary.pdf",
        views.ContractSummaryPdfApi.as_view(),
        name="api-contract-summary-pdf",
    ),
]
