"""The change request API (docs/interface.md): a contract's CIO asks for a change with
`POST /api/v1/contracts/{reference}/changes/`; `/api/v1/change-requests/` lists them, one
with its audit trail, and one endpoint per move. The rules are applications.changes'."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import permissions
from catalogue.models import Service
from catalogue.pricing import MAX_SEATS
from contracts import selectors as contract_selectors
from core.api import ChoiceField, SlugRelatedField, get_for_write

from .. import changes, selectors
from ..models import ApplicationAction, ChangeStatus
from ..services import MAX_REASON_LENGTH
from .serializers import REASON_NEEDED
from .views import BAD_INPUT, FORBIDDEN

NOT_FOUND = OpenApiResponse(description="No such change request, or one the caller may not see.")
CONFLICT = OpenApiResponse(
    description="The request's status (or its contract's) does not allow this; nothing changed."
)


class ChangeLineOutputSerializer(serializers.Serializer):
    service = serializers.CharField(source="service.slug", read_only=True)
    seats_before = serializers.IntegerField(read_only=True)
    seats_after = serializers.IntegerField(read_only=True)


class ChangeEventOutputSerializer(serializers.Serializer):
    at = serializers.DateTimeField(read_only=True)
    actor = serializers.CharField(source="actor.username", read_only=True)
    action = serializers.ChoiceField(choices=ApplicationAction.choices, read_only=True)
    detail = serializers.CharField(read_only=True)


class ChangeRequestOutputSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True, help_text="e.g. CHG-2026-0001")
    contract = serializers.CharField(source="contract.reference", read_only=True)
    organisation = serializers.CharField(source="organisation.slug", read_only=True)
    status = serializers.ChoiceField(choices=ChangeStatus.choices, read_only=True)
    lines = ChangeLineOutputSerializer(many=True, read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True
    )
    reason = serializers.CharField(
        read_only=True,
        help_text="Why it was rejected or withdrawn, or the approver's note on approval.",
    )


class ChangeRequestDetailOutputSerializer(ChangeRequestOutputSerializer):
    events = ChangeEventOutputSerializer(many=True, read_only=True)


class ChangeLineInputSerializer(serializers.Serializer):
    # Any service, offered or withdrawn: a withdrawn one may still be reduced or removed
    # (the service says which changes are allowed).
    service = SlugRelatedField(slug_field="slug", queryset=Service.objects.all())
    seats = serializers.IntegerField(
        min_value=0, max_value=MAX_SEATS, help_text="Seats after the change; 0 removes the line."
    )


class ChangeRequestInputSerializer(serializers.Serializer):
    lines = serializers.ListField(
        child=ChangeLineInputSerializer(),
        allow_empty=False,
        max_length=50,
        error_messages={"empty": "Enter the seats of at least one service to change."},
    )

    def validate_lines(self, lines: list[dict]) -> list[dict]:
        slugs = [line["service"].slug for line in lines]
        if len(set(slugs)) != len(slugs):
            raise serializers.ValidationError("Enter each service only once.")
        return lines


class ChangeFilterSerializer(serializers.Serializer):
    status = ChoiceField(choices=ChangeStatus.choices, required=False)


def _detail_response(request: Request, reference: str, code: int = status.HTTP_200_OK):
    change_request = selectors.change_request_get(user=request.user, reference=reference)
    return Response(ChangeRequestDetailOutputSerializer(change_request).data, status=code)


@extend_schema(tags=["change requests"])
class ContractChangeCreateApi(APIView):
    """Ask for a change to an active contract (its CIO): the seats each named service should
    have afterwards; services not named keep theirs."""

    @extend_schema(
        request=ChangeRequestInputSerializer,
        responses={
            201: ChangeRequestDetailOutputSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: OpenApiResponse(description="No such contract, or one the caller may not see."),
            409: OpenApiResponse(
                description="The contract has ended, or already has a change waiting."
            ),
        },
        summary="Ask for a change to a contract",
    )
    def post(self, request: Request, reference: str) -> Response:
        contract = get_for_write(
            lambda: contract_selectors.contract_get(user=request.user, reference=reference),
            sees_everything=permissions.can_see_all_organisations_records(request.user),
            refusal="You can only change your own organisation's contracts.",
        )
        if not permissions.can_request_change(request.user, contract):
            raise exceptions.PermissionDenied(
                "Only the organisation's CIO can change its contract."
            )
        serializer = ChangeRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change_request = changes.change_request_create(
            actor=request.user,
            contract=contract,
            seats_after=[
                changes.SeatsAfter(line["service"], line["seats"])
                for line in serializer.validated_data["lines"]
            ],
        )
        return _detail_response(request, change_request.reference, status.HTTP_201_CREATED)


@extend_schema(tags=["change requests"])
class ChangeRequestListApi(generics.ListAPIView):
    """Change requests the caller may see (a CIO their own organisation's; approvers and
    procurement officers all), oldest first; filter by `status`."""

    serializer_class = ChangeRequestOutputSerializer

    def get_queryset(self):
        filters = ChangeFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.change_request_list(
            user=self.request.user, status=filters.validated_data.get("status")
        )

    @extend_schema(responses={200: ChangeRequestOutputSerializer(many=True), 400: BAD_INPUT})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["change requests"])
class ChangeRequestDetailApi(APIView):
    @extend_schema(responses={200: ChangeRequestDetailOutputSerializer, 404: NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        return _detail_response(request, reference)


class ApproveInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=MAX_REASON_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="The approver's decision note (optional).",
    )


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_REASON_LENGTH, required=False, allow_blank=True, default=""
    )


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_REASON_LENGTH,
        error_messages={"required": REASON_NEEDED, "blank": REASON_NEEDED, "null": REASON_NEEDED},
    )


ACTION_RESPONSES = {
    200: ChangeRequestDetailOutputSerializer,
    400: BAD_INPUT,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: CONFLICT,
}


class _ChangeActionApi(APIView, metaclass=ABCMeta):
    """POST to make one move; a refusal (403, 409, 400) changes nothing. Who may make the
    move is checked before the input, so bad input from the wrong caller is a 403."""

    input_serializer: type[serializers.Serializer]
    deciding = True

    def post(self, request: Request, reference: str) -> Response:
        user = request.user
        change_request = get_for_write(
            lambda: selectors.change_request_get(user=user, reference=reference, details=False),
            sees_everything=permissions.is_approver(user) or permissions.is_procurement(user),
            refusal="You can only act on your own organisation's change requests.",
        )
        allowed = (
            permissions.can_decide_application(user, change_request)
            if self.deciding
            else permissions.owns(user, change_request.organisation_id)
        )
        if not allowed and not (self.deciding and permissions.is_approver(user)):
            raise exceptions.PermissionDenied("Your role cannot make this move.")
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.act(change_request, user, serializer.validated_data)
        return _detail_response(request, reference)

    @abstractmethod
    def act(self, change_request, actor, data: dict) -> None:
        """Make this move through its service function."""


@extend_schema(tags=["change requests"])
class ChangeRequestApproveApi(_ChangeActionApi):
    input_serializer = ApproveInputSerializer

    @extend_schema(
        request=ApproveInputSerializer,
        responses=ACTION_RESPONSES,
        summary="Approve a change request (Cabinet Office approver)",
    )
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def act(self, change_request, actor, data: dict) -> None:
        changes.change_request_approve(
            change_request=change_request, actor=actor, note=data["note"]
        )


@extend_schema(tags=["change requests"])
class ChangeRequestRejectApi(_ChangeActionApi):
    input_serializer = RejectInputSerializer

    @extend_schema(
        request=RejectInputSerializer,
        responses=ACTION_RESPONSES,
        summary="Reject a change request with a reason (Cabinet Office approver)",
    )
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def act(self, change_request, actor, data: dict) -> None:
        changes.change_request_reject(
            change_request=change_request, actor=actor, reason=data["reason"]
        )


@extend_schema(tags=["change requests"])
class ChangeRequestWithdrawApi(_ChangeActionApi):
    input_serializer = WithdrawInputSerializer
    deciding = False

    @extend_schema(
        request=WithdrawInputSerializer,
        responses=ACTION_RESPONSES,
        summary="Withdraw a change request (the contract's CIO)",
    )
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def act(self, change_request, actor, data: dict) -> None:
        changes.change_request_withdraw(
            change_request=change_request, actor=actor, reason=data["reason"]
        )
