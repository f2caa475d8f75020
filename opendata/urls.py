from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.open_data, name="open-data"),
    path("contract-lines.csv", views.contract_lines_csv, name="contract-lines-csv"),
]
