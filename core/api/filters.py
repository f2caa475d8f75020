"""The API's query-string filters: django-filter's, with an empty value refused."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions

EMPTY_VALUE = "Give a value, or leave the parameter out."


def refuse_empty(query_params, names) -> None:
    """400 with a field error for each of `names` given with no value (`?status=`).

    The API takes a parameter or leaves it out, as its schema says (`minLength: 1`, an enum or
    an integer): an empty value is a mistake to point out, not a filter to drop silently. The
    pages share the filter sets and keep reading an empty field as none: their GET forms send
    every field, chosen or not.
    """
    empty = [name for name in names if "" in query_params.getlist(name)]
    if empty:
        raise exceptions.ValidationError({name: [EMPTY_VALUE] for name in empty})


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing an empty filter value (`refuse_empty`)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            refuse_empty(request.query_params, filterset.filters)
        return filterset
