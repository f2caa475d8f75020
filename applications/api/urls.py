from django.urls import path

from . import views

urlpatterns = [
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
