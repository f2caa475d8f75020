from django.urls import path

from . import views

urlpatterns = [
    path("applications/", views.ApplicationListCreateApi.as_view(), name="api-application-list"),
    path(
        "applications/<str:reference>/",
        views.ApplicationDetailApi.as_view(),
        name="api-application-detail",
    ),
    path(
        "applications/<str:reference>/submit/",
        views.ApplicationSubmitApi.as_view(),
        name="api-application-submit",
    ),
    path(
        "applications/<str:reference>/withdraw/",
        views.ApplicationWithdrawApi.as_view(),
        name="api-application-withdraw",
    ),
    path(
        "applications/<str:reference>/approve/",
        views.ApplicationApproveApi.as_view(),
        name="api-application-approve",
    ),
    path(
        "applications/<str:reference>/reject/",
        views.ApplicationRejectApi.as_view(),
        name="api-application-reject",
    ),
]
