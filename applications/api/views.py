"""The sign-up application API: list and create, one application with its audit trail, and
one endpoint per transition. The rules are the services' and accounts.permissions'."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from collections.abc import Callable

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import permissions
from accounts.models import User
from core.api import get_for_write
from core.api.filters import FilterBackend

from .. import selectors, services
from ..filters import ApplicationFilter
from ..models import SignUpApplication
from .serializers import (
    ApplicationApproveInputSerializer,
    ApplicationCreateInputSerializer,
    ApplicationDetailOutputSerializer,
    ApplicationOutputSerializer,
    ApplicationRejectInputSerializer,
    ApplicationWithdrawInputSerializer,
)

BAD_INPUT = OpenApiResponse(description='The input is not valid: `{"field": ["message"]}`.')
FORBIDDEN = OpenApiResponse(description="The caller's role may not do this; nothing changed.")
NOT_FOUND = OpenApiResponse(description="No such application, or one the caller may not see.")
CONFLICT = OpenApiResponse(
    description="The application's status does not allow this (for example approving a "
    "withdrawn application); nothing changed."
)


def _detail_response(request: Request, reference: str, code: int = status.HTTP_200_OK) -> Response:
    application = selectors.application_get(user=request.user, reference=reference)
    return Response(
        ApplicationDetailOutputSerializer(application, context={"user": request.user}).data,
        status=code,
    )


@extend_schema(tags=["applications"])
class ApplicationListCreateApi(generics.ListCreateAPIView):
    """Applications the caller may see (a CIO their own organisation's, approvers all),
    oldest submission first; a CIO creates a draft application with POST."""

    serializer_class = ApplicationOutputSerializer
    filter_backends = [FilterBackend]
    filterset_class = ApplicationFilter

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)

    @extend_schema(responses={200: ApplicationOutputSerializer(many=True), 400: BAD_INPUT})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ApplicationCreateInputSerializer,
        responses={
            201: ApplicationDetailOutputSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            409: OpenApiResponse(description="The organisation already has an open application."),
        },
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        user = request.user
        if not permissions.can_apply(user):
            raise exceptions.PermissionDenied(
                "Only a chief information officer can apply to join Flex."
            )
        serializer = ApplicationCreateInputSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("organisation") and data["organisation"] != user.organisation.slug:
            raise exceptions.PermissionDenied(
                "You can only apply for your own organisation, or describe a new one."
            )
        new = data.get("new_organisation")
        application = services.application_create(
            actor=user,
            lines=[
                services.LineInput(service=line["service"], seats=line["seats"])
                for line in data["lines"]
            ],
            term_years=data["term_years"],
            requested_start=data["requested_start"],
            current_cost_per_seat=data.get("current_cost_per_seat"),
            confirm_unusual_seats=data["confirm_unusual_seats"],
            contract_kind=data["contract_kind"],
            new_organisation=services.NewOrganisationInput(
                name=new["name"],
                kind=new["kind"],
                staff=new["staff"],
                desktops=new.get("desktops"),
                predecessors=tuple(new.get("predecessors", ())),
            )
            if new
            else None,
        )
        return _detail_response(request, application.reference, status.HTTP_201_CREATED)


@extend_schema(tags=["applications"])
class ApplicationDetailApi(APIView):
    @extend_schema(responses={200: ApplicationDetailOutputSerializer, 404: NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        return _detail_response(request, reference)


class _ApplicationActionApi(APIView, metaclass=ABCMeta):
    """POST to make one transition; answers with the application as it now is. A refusal
    (403 not allowed, 409 wrong status, 400 bad input) changes nothing."""

    input_serializer: type[serializers.Serializer] | None = None
    # With an input: who may make the move (accounts.permissions), and the refusal for anyone
    # else, so that invalid input from a caller without the right is a 403 before any 400.
    may: Callable[[User, SignUpApplication], bool]
    refused: str

    @abstractmethod
    def act(self, application: SignUpApplication, actor: User, data: dict) -> None:
        """Make this action's transition through its service function."""

    def post(self, request: Request, reference: str) -> Response:
        user = request.user
        if not (permissions.is_cio(user) or permissions.is_approver(user)):
            raise exceptions.PermissionDenied("Your role cannot act on sign-up applications.")
        application = get_for_write(
            lambda: selectors.application_get(user=user, reference=reference, details=False),
            sees_everything=permissions.is_approver(user),
            refusal="You can only act on your own organisation's applications.",
        )
        data = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            if not serializer.is_valid():
                if not self.may(user, application):
                    raise exceptions.PermissionDenied(self.refused)
                raise exceptions.ValidationError(serializer.errors)
            data = serializer.validated_data
        self.act(application, user, data)
        return _detail_response(request, reference)


ACTION_RESPONSES = {
    200: ApplicationDetailOutputSerializer,
    400: BAD_INPUT,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: CONFLICT,
}


@extend_schema(tags=["applications"])
@extend_schema_view(
    post=extend_schema(request=None, responses=ACTION_RESPONSES, summary="Submit a draft (its CIO)")
)
class ApplicationSubmitApi(_ApplicationActionApi):
    def act(self, application: SignUpApplication, actor: User, data: dict) -> None:
        services.application_submit(application=application, actor=actor)


@extend_schema(tags=["applications"])
@extend_schema_view(
    post=extend_schema(
        request=ApplicationWithdrawInputSerializer,
        responses=ACTION_RESPONSES,
        summary="Withdraw a submitted application (its CIO)",
    )
)
class ApplicationWithdrawApi(_ApplicationActionApi):
    input_serializer = ApplicationWithdrawInputSerializer
    may = staticmethod(permissions.can_edit_application)
    refused = "Only the applying organisation's CIO can withdraw its application."

    def act(self, application: SignUpApplication, actor: User, data: dict) -> None:
        services.application_withdraw(application=application, actor=actor, reason=data["reason"])


@extend_schema(tags=["applications"])
@extend_schema_view(
    post=extend_schema(
        request=ApplicationApproveInputSerializer,
        responses=ACTION_RESPONSES,
        summary="Approve, with an optional note (a Cabinet Office approver from another "
        "organisation)",
    )
)
class ApplicationApproveApi(_ApplicationActionApi):
    input_serializer = ApplicationApproveInputSerializer
    may = staticmethod(permissions.can_decide_application)
    refused = "You cannot decide this application."

    def act(self, application: SignUpApplication, actor: User, data: dict) -> None:
        services.application_approve(application=application, actor=actor, note=data["note"])


@extend_schema(tags=["applications"])
@extend_schema_view(
    post=extend_schema(
        request=ApplicationRejectInputSerializer,
        responses=ACTION_RESPONSES,
        summary="Reject with a reason (a Cabinet Office approver from another organisation)",
    )
)
class ApplicationRejectApi(_ApplicationActionApi):
    input_serializer = ApplicationRejectInputSerializer
    may = staticmethod(permissions.can_decide_application)
    refused = "You cannot decide this application."

    def act(self, application: SignUpApplication, actor: User, data: dict) -> None:
        services.application_reject(application=application, actor=actor, reason=data["reason"])
