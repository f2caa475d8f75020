from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("catalogue/", views.service_list_view, name="list"),
    path("catalogue/<slug:slug>/", views.service_detail_view, name="detail"),
    path(
        "catalogue/<slug:slug>/price-history.csv",
        views.price_history_csv_view,
        name="price-history-csv",
    ),
    path("quote/", views.quote_view, name="quote"),
]
