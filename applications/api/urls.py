from django.urls import path

from . import changes, views

urlpatterns = [
    path(
        "contracts/<reference:reference>/changes/",
        changes.ContractChangeCreateApi.as_view(),
        name="api-contract-changes",
    ),
    path("change-requests/", changes.ChangeRequestListApi.as_view(), name="api-change-list"),
    path(
        "change-requests/<reference:reference>/",
        changes.ChangeRequestDetailApi.as_view(),
        name="api-change-detail",
    ),
    path(
        "change-requests/<reference:reference>/approve/",
        changes.ChangeRequestApproveApi.as_view(),
        name="api-change-approve",
    ),
    path(
        "change-requests/<reference:reference>/reject/",
        changes.ChangeRequestRejectApi.as_view(),
        name="api-change-reject",
    ),
    path(
        "change-requests/<reference:reference>/withdraw/",
        changes.ChangeRequestWithdrawApi.as_view(),
        name="api-change-withdraw",
    ),
    path("applications/", views.ApplicationListCreateApi.as_view(), name="api-application-list"),
    path(
        "applications/<reference:reference>/",
        views.ApplicationDetailApi.as_view(),
        name="api-application-detail",
    ),
    path(
        "applications/<reference:reference>/submit/",
        views.ApplicationSubmitApi.as_view(),
        name="api-application-submit",
    ),
    path(
        "applications/<reference:reference>/withdraw/",
        views.ApplicationWithdrawApi.as_view(),
        name="api-application-withdraw",
    ),
    path(
        "applications/<reference:reference>/approve/",
        views.ApplicationApproveApi.as_view(),
        name="api-application-approve",
    ),
    path(
        "applications/<reference:reference>/reject/",
        views.ApplicationRejectApi.as_view(),
        name="api-application-reject",
    ),
]
