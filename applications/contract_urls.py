"""A member's pages on its own contract, under /contracts/<reference>/: changing it and
ending it. The contract's page itself is procurement's (procurement/urls.py)."""

from django.urls import path

from .views import changes, leaving

app_name = "lifecycle"

urlpatterns = [
    path("<reference:reference>/change/", changes.change_seats, name="change-seats"),
    path("<reference:reference>/change/check/", changes.change_check, name="change-check"),
    path("<reference:reference>/end/", leaving.contract_end_page, name="end"),
]
