"""Organisation API: the bodies the caller may see (organisations.selectors), one by slug."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from .serializers import OrganisationOutputSerializer

NOT_FOUND = OpenApiResponse(description="No such organisation, or one the caller may not see.")


@extend_schema(tags=["organisations"])
class OrganisationListApi(generics.ListAPIView):
    """Organisations by name: members, former members and dissolved bodies to anyone signed in;
    prospective ones (still applying) to Cabinet Office staff, procurement and their own CIO."""

    serializer_class = OrganisationOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.organisation_list(user=self.request.user)


@extend_schema(tags=["organisations"])
class OrganisationDetailApi(APIView):
    @extend_schema(responses={200: OrganisationOutputSerializer, 404: NOT_FOUND})
    def get(self, request: Request, slug: str) -> Response:
        organisation = selectors.organisation_get(user=request.user, slug=slug)
        return Response(OrganisationOutputSerializer(organisation).data)
