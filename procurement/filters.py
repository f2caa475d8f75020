"""The contract filters shared by the list page, the API and the exports."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from contracts import selectors
from contracts.models import Contract, ContractKind, ContractStatus
from core.forms import text_errors
from organisations.models import Organisation

from .forms import ContractFilterForm, FilterDateField

# Sort keys offered to users, and what each orders by; "-key" sorts descending.
SORTS = {
    "reference": ("reference",),
    "organisation": ("organisation__name", "reference"),
    "kind": ("kind", "reference"),
    "status": ("status", "reference"),
    "signed_on": ("signed_on", "reference"),
    "start_date": ("start_date", "reference"),
    "term_years": ("term_years", "reference"),
    "annual_value": ("annual_value_sort", "reference"),
    "total_value": ("total_value_sort", "reference"),
}
DEFAULT_SORT = "-signed_on"
SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]


def _organisations(request) -> QuerySet:
    if request is None:
        return Organisation.objects.none()
    return selectors.organisations_with_contracts(user=request.user)


MONEY_SORT = DecimalField(max_digits=20, decimal_places=2)


def _annual_value() -> Coalesce:
    """Annual value at current prices, for ordering only (figures shown come from values.py).

    An aggregate over the joined lines rather than a correlated subquery: one pass over the
    lines however many contracts there are.
    """
    return Coalesce(
        Sum(F("lines__seats") * F("lines__current_unit_price"), output_field=MONEY_SORT),
        Value(0),
        output_field=MONEY_SORT,
    )


class GovukDateFilter(django_filters.DateFilter):
    """A date filter fed by a GOV.UK date input or an ISO date."""

    field_class = FilterDateField


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_keyword",
        label="Reference or organisation",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
        error_messages=text_errors("Reference or organisation", max_length=100),
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=_organisations,
        to_field_name="slug",
        empty_label="All organisations",
        label="Organisation",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    kind = django_filters.ChoiceFilter(
        choices=ContractKind.choices,
        empty_label="All kinds",
        label="Kind",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Select a kind of contract from the list"},
    )
    status = django_filters.ChoiceFilter(
        choices=ContractStatus.choices,
        empty_label="All statuses",
        label="Status",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    signed_after = GovukDateFilter(
        field_name="signed_on", lookup_expr="gte", label="Signed on or after"
    )
    signed_before = GovukDateFilter(
        field_name="signed_on", lookup_expr="lte", label="Signed on or before"
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES,
        method="sort_by",
        label="Sort by",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Sort by one of the table's columns"},
    )

    class Meta:
        model = Contract
        fields = ["q", "organisation", "kind", "status", "signed_after", "signed_before", "sort"]
        form = ContractFilterForm

    def filter_keyword(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(organisation__short_name__icontains=value)
        )

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Ordering is applied in filter_queryset so that the default applies without `sort`.
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        return order_contracts(queryset, self.form.cleaned_data.get("sort") or DEFAULT_SORT)

    def canonical_params(self) -> dict[str, str]:
        """The valid, non-empty filters as query parameters (ISO dates, organisation slug), for
        links to sorted pages and downloads, and for the download log."""
        params = {}
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif hasattr(value, "slug"):
                value = value.slug
            params[name] = str(value)
        return params


def order_contracts(queryset: QuerySet, sort: str) -> QuerySet:
    key = sort.removeprefix("-")
    fields = SORTS[key]
    if key in ("annual_value", "total_value"):
        queryset = queryset.annotate(annual_value_sort=_annual_value())
        if key == "total_value":
            queryset = queryset.annotate(
                total_value_sort=ExpressionWrapper(
                    F("annual_value_sort") * F("term_years"), output_field=MONEY_SORT
                )
            )
    # Drafts have no signing date: keep them last either way, on SQLite and PostgreSQL alike.
    first = F(fields[0])
    first = first.desc(nulls_last=True) if sort.startswith("-") else first.asc(nulls_last=True)
    return queryset.order_by(first, *fields[1:], "pk")
