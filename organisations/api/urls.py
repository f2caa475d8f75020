from django.urls import path

from . import views

urlpatterns = [
    path("organisations/", views.OrganisationListApi.as_view(), name="api-organisation-list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailApi.as_view(),
        name="api-organisation-detail",
    ),
]
