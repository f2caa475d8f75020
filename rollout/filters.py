"""Filters of the rollout API list."""

import django_filters

from core.forms import text_errors

from .models import RolloutPlan


class RolloutPlanFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(
        field_name="contract__organisation__slug",
        help_text="Organisation slug",
        error_messages=text_errors("The organisation"),
    )

    class Meta:
        model = RolloutPlan
        fields = ["organisation"]
