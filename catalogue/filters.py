"""Catalogue filters, shared by the /catalogue/ page and GET /api/v1/services/."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from core.forms import text_errors

from .forms import ServiceSearchForm
from .models import Category, Service, ServiceKind


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_keyword",
        label="Search by keyword",
        help_text="For example, wireless or email.",
        max_length=100,
        error_messages=text_errors("Search words", max_length=100),
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices,
        label="Category",
        empty_label="All categories",
        error_messages={"invalid_choice": "Choose a category from the list"},
    )
    kind = django_filters.ChoiceFilter(
        choices=ServiceKind.choices,
        label="Type",
        empty_label="Core and optional extras",
        error_messages={"invalid_choice": "Choose core service or optional extra"},
    )

    class Meta:
        model = Service
        fields = ["q", "category", "kind"]
        form = ServiceSearchForm

    def filter_keyword(self, queryset: QuerySet[Service], name: str, value: str) -> QuerySet:
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(slug__icontains=word)
                | Q(description__icontains=word)
                | Q(included__icontains=word)
            )
        return queryset
