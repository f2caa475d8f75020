from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from applications.views import home
from core import views

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("organisations.api.urls")),
    path("", include("catalogue.api.urls")),
    path("", include("applications.api.urls")),
    path("", include("procurement.api.urls")),
    path("", include("rollout.api.urls")),
    path("", include("opendata.api.urls")),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # Any other /api/ path: JSON 404, also under DEBUG (core.views.api_not_found).
    re_path(r"^api/", views.api_not_found, name="api-not-found"),
    path("", include("catalogue.urls")),
    path("", include("framework.urls")),
    path("applications/", include("applications.urls")),
    path("contracts/", include("applications.contract_urls")),
    path("contracts/", include("procurement.urls")),
    path("rollout/", include("rollout.urls")),
    path("audit/", include("audit.urls")),
    path("open-data/", include("opendata.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("pages.urls")),
]

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
