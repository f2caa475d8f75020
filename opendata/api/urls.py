from django.urls import path

from . import views

urlpatterns = [
    path("ocds/releases.json", views.ReleasePackageApi.as_view(), name="api-ocds-releases"),
]
