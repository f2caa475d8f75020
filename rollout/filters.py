"""Filters of the rollout API list."""

import django_filters

from .models import RolloutPlan


class RolloutPlanFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(
        field_name="contract__organisation__slug", help_text="Organisation slug"
    )

    class Meta:
        model = RolloutPlan
        fields = ["organisation"]
