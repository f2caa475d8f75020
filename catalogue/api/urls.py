from django.urls import path

from . import views

urlpatterns = [
    path("services/", views.ServiceListApi.as_view(), name="api-service-list"),
    path("services/<slug:slug>/", views.ServiceDetailApi.as_view(), name="api-service-detail"),
    path(
        "services/<slug:slug>/price-history/",
        views.ServicePriceHistoryApi.as_view(),
        name="api-service-price-history",
    ),
    path("quotes/", views.QuoteApi.as_view(), name="api-quote"),
]
