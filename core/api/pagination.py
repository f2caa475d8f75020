"""The API's pagination: DRF's page numbers, with the page checked as its schema says."""

from __future__ import annotations

from rest_framework import exceptions, pagination

from .filters import refuse_empty

NOT_A_PAGE = "A page is a whole number, 1 or more."


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` must be a whole number from 1 (a 400 field error otherwise, as for an empty
    value); a page past the last is a 404, as in DRF."""

    last_page_strings = ()

    def get_page_number(self, request, paginator):
        refuse_empty(request.query_params, [self.page_query_param])
        number = request.query_params.get(self.page_query_param)
        if number is None:
            return 1
        if not (number.isascii() and number.isdigit() and int(number) >= 1):
            raise exceptions.ValidationError({self.page_query_param: [NOT_A_PAGE]})
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters
