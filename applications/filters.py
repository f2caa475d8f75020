"""Query-string filters of application lists (the approver's queue and the API)."""

from __future__ import annotations

import django_filters

from .models import ApplicationStatus, SignUpApplication


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ApplicationStatus.choices,
        error_messages={"invalid_choice": "Select a status from the list"},
    )

    class Meta:
        model = SignUpApplication
        fields = ["status"]
