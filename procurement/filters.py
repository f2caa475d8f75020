"""The contract filters shared by the list page, the API and the exports."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet
from drf_spectacular.utils import extend_schema_field

from contracts import selectors
from contracts.models import Contract, ContractKind, ContractStatus
from core.forms import text_errors
from organisations import selectors as organisation_selectors
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
    "annual_value": ("annual_value", "reference"),
    "total_value": ("total_value_sort", "reference"),
}
DEFAULT_SORT = "-signed_on"
SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]


def _organisations(request) -> QuerySet:
    if request is None:
        return Organisation.objects.none()
    return selectors.organisations_with_contracts(user=request.user)


MONEY_SORT = DecimalField(max_digits=20, decimal_places=2)


def total_value_sort() -> ExpressionWrapper:
    """Total value at current prices, for ordering only: the stored annual value times the
    term, the very expression the `contract_total_value_idx` index holds (contracts/models.py),
    so the largest contracts are read from the index rather than computed for every contract."""
    return ExpressionWrapper(F("annual_value") * F("term_years"), output_field=MONEY_SORT)


ORGANISATION_MAX_LENGTH = 200  # organisations.Organisation.name


class OrganisationField(forms.ModelChoiceField):
    """One organisation of the field's queryset, named by slug, full name or short name (any
    case), or by enough of its name to match only one. What was typed is shown back as the
    organisation's name once found.

    The queryset holds only the organisations the user may filter by, so one they may not see
    gets the same answer as one that does not exist."""

    default_error_messages = {
        "invalid_choice": "Enter the name of an organisation that has contracts you can see",
        "ambiguous": (
            "More than one organisation matches what you entered: enter more of its name"
        ),
        "max_length": f"Organisation must be {ORGANISATION_MAX_LENGTH} characters or fewer",
        "null_characters_not_allowed": "Organisation must not include a null character",
    }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("empty_label", None)
        super().__init__(*args, **kwargs)
        self._found: dict[str, Organisation] = {}

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        if len(text) > ORGANISATION_MAX_LENGTH:
            raise ValidationError(self.error_messages["max_length"], code="max_length")
        if "\x00" in text:
            raise ValidationError(
                self.error_messages["null_characters_not_allowed"], code="null_characters"
            )
        organisation = self._find(text)
        self._found[value] = organisation
        return organisation

    def _find(self, text: str) -> Organisation:
        queryset = self.queryset.order_by()
        exact = list(
            queryset.filter(Q(slug=text) | Q(name__iexact=text) | Q(short_name__iexact=text))[:3]
        )
        for rule in (
            lambda o: o.slug == text,
            lambda o: o.name.lower() == text.lower(),
        ):
            found = [o for o in exact if rule(o)]
            if found:
                return found[0]
        if len(exact) == 1:
            return exact[0]
        matches = exact or list(queryset.filter(name__icontains=text)[:2])
        if len(matches) == 1:
            return matches[0]
        code = "ambiguous" if matches else "invalid_choice"
        raise ValidationError(self.error_messages[code], code=code)

    def prepare_value(self, value):
        if isinstance(value, Organisation):
            return value.name
        found = self._found.get(value)
        return found.name if found is not None else value


@extend_schema_field(
    {
        "type": "string",
        "maxLength": ORGANISATION_MAX_LENGTH,
        "description": "An organisation's slug, full name or short name (or a part of a name "
        "that only one organisation has).",
    }
)
class OrganisationFilter(django_filters.ModelChoiceFilter):
    field_class = OrganisationField


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
    # A text field, not a list of every organisation (40,000 of them at public-sector scale):
    # it takes a name, short name or slug; with JavaScript, accessible-autocomplete suggests
    # names as you type (static/js/organisation-autocomplete.mjs, fed by
    # procurement.views.organisation_suggestions).
    organisation = OrganisationFilter(
        queryset=_organisations,
        label="Organisation",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input",
                "spellcheck": "false",
                "autocomplete": "off",
                "maxlength": ORGANISATION_MAX_LENGTH,
                "aria-describedby": "id_organisation-hint",
            }
        ),
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
        # The organisations as a subquery of their own, not a join: each side is then answered
        # from its trigram indexes (organisations 0006, contracts 0008) on PostgreSQL, or read
        # in one pass of stored capitals where a word is too common for an index to help.
        named = organisation_selectors.organisations_named(value).values("pk")
        return queryset.filter(Q(reference__icontains=value) | Q(organisation__in=named))

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
    if key == "total_value":
        queryset = queryset.annotate(total_value_sort=total_value_sort())
    first = F(fields[0])
    if key in ("annual_value", "total_value"):
        # Never null (a stored figure), so a plain order the value indexes can serve.
        first = first.desc() if sort.startswith("-") else first.asc()
    else:
        # Drafts have no signing date: keep them last either way, on SQLite and PostgreSQL.
        first = first.desc(nulls_last=True) if sort.startswith("-") else first.asc(nulls_last=True)
    return queryset.order_by(first, *fields[1:], "pk")
