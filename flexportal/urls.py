from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import views
from .api import ObtainTokenView

api_v1 = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include("catalogue.api.urls")),
    path("", include("departments.api.urls")),
    path("", include("contracts.api.urls")),
    path("", include("rollout.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("catalogue.urls")),
    path("applications/", include("departments.urls")),
    path("contracts/", include("contracts.urls")),
    path("rollout/", include("rollout.urls")),
]

handler404 = "flexportal.views.page_not_found"
handler500 = "flexportal.views.server_error"
