"""GET /api/v1/ocds/releases.json: the open contracting data, public and rate limited."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import refuse_empty
from core.throttling import SharedAnonRateThrottle

from .. import ocds, selectors


class OpenDataThrottle(SharedAnonRateThrottle):
    """Open data is for anyone, but one address cannot page through it faster than this
    (signed-in users are not counted)."""

    scope = "open_data"

    def get_rate(self) -> str:
        return settings.OCDS_ANON_RATE


class PageInputSerializer(serializers.Serializer):
    after = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**62,
        error_messages={"invalid": "Enter a whole number from a `links.next` address."},
    )


@extend_schema(
    summary="OCDS 1.1 release package of the framework's call-off contracts",
    description=(
        "One release per signed call-off contract (award and contract stages, buyer, "
        "supplier, items per service line with seats and unit values at signing, the "
        "contract period, an amendment per approved change). Paginated: `links.next` is the "
        "address of the next page, absent on the last. Public; anonymous clients are rate "
        "limited."
    ),
    parameters=[
        OpenApiParameter(
            "after",
            {"type": "integer", "minimum": 0},
            description="Start after this contract (from links.next).",
        )
    ],
    responses={
        200: OpenApiResponse(OpenApiTypes.OBJECT, description="An OCDS release package."),
        400: OpenApiResponse(description='`after` is not valid: `{"after": ["message"]}`.'),
    },
    auth=[],
)
class ReleasePackageApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [OpenDataThrottle]

    def get(self, request: Request) -> Response:
        refuse_empty(request.query_params, ["after"])
        params = PageInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = selectors.call_off_page(
            after=params.validated_data.get("after", 0), size=settings.OCDS_PAGE_SIZE
        )
        publisher = selectors.publisher()
        base = request.build_absolute_uri(request.path)
        return Response(
            ocds.release_package(
                releases=[ocds.release(call_off, publisher) for call_off in page.call_offs],
                publisher=publisher,
                uri=request.build_absolute_uri(),
                published=timezone.now(),
                next_uri=f"{base}?after={page.next_after}" if page.next_after else None,
            )
        )
