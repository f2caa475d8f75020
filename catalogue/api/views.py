"""Catalogue API: services with their pricing, price history, and quotes."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue import caching, selectors
from catalogue.filters import ServiceFilter
from catalogue.models import PriceSnapshot, Service

from .serializers import (
    PriceSnapshotOutputSerializer,
    QuoteInputSerializer,
    QuoteOutputSerializer,
    ServiceOutputSerializer,
)

SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="e.g. desktop")


class ServiceListApi(generics.ListAPIView):
    """Services on offer, core first, with their pricing scheme and today's price.
    Filter by `category`, `kind` or keyword `q`."""

    serializer_class = ServiceOutputSerializer
    filterset_class = ServiceFilter

    def get_queryset(self):
        return selectors.service_list()

    def list(self, request: Request, *args, **kwargs) -> Response:
        if set(request.query_params) - {self.paginator.page_query_param}:
            return super().list(request, *args, **kwargs)
        # The envelope (next/previous links) is still per request.
        return self.get_paginated_response(self.paginate_queryset(self.whole_list()))

    def whole_list(self) -> list:
        """Unfiltered, every caller sees the same services: serialized once per catalogue
        version."""
        return caching.cached("api-services", self.serialize_all)

    def serialize_all(self) -> list:
        return list(self.get_serializer(self.get_queryset(), many=True).data)


class ServiceDetailApi(generics.RetrieveAPIView):
    """One service, found by slug (also one no longer on offer, which contracts may name)."""

    serializer_class = ServiceOutputSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.service_list(include_inactive=True)


@extend_schema(parameters=[SLUG])
class ServicePriceHistoryApi(generics.ListAPIView):
    """A service's price snapshots, oldest first: one whenever its framework seats or price
    changed, with the reason (e.g. "DIUS joined")."""

    serializer_class = PriceSnapshotOutputSerializer
    queryset = PriceSnapshot.objects.none()

    def get_queryset(self):
        service = get_object_or_404(Service.objects.only("pk"), slug=self.kwargs["slug"])
        return selectors.price_history(service)


QUOTE_DESCRIPTION = """Price seats of one or more services now and as if the organisation joined.

* `unit_price_now`: today's price per seat a year at today's framework seats.
* `unit_price_if_joined`: the price with the quoted seats added to the framework's; that is the
  price the organisation would pay (and so would every other member).
* `annual_cost` = seats * `unit_price_if_joined`; `annual_total` is their sum; `term_total` =
  `annual_total` * `term_years`.
* Savings (only when `current_cost_per_seat` is given): `savings_per_year` =
  `current_cost_per_seat` * the quote's core (desktop) seats - the annual cost of those core
  seats. `current_cost_per_seat` is what the organisation pays per desktop seat today; the
  optional extras are new services, not replacements, so they are left out (the same rule as a
  contract's savings). Both are null when the quote has no core seats. `savings_percent` is the
  saving as a percentage of today's cost, to one decimal place (null when today's cost is
  zero). A negative saving means joining costs more.

One line per service; seats 1 to 1,000,000; term 1 to 10 years. Nothing is stored.
"""


class QuoteApi(APIView):
    @extend_schema(
        request=QuoteInputSerializer,
        responses={200: QuoteOutputSerializer},
        description=QUOTE_DESCRIPTION,
        summary="Get a quote",
    )
    def post(self, request: Request) -> Response:
        services = selectors.active_services_by_slug()
        serializer = QuoteInputSerializer(data=request.data, context={"services": services})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        quote = selectors.quote_for(
            lines=[(line["service"], line["seats"]) for line in data["lines"]],
            term_years=data["term_years"],
            current_cost_per_seat=data.get("current_cost_per_seat"),
        )
        return Response(QuoteOutputSerializer(quote).data)
