"""Rollout API: plans with waves and progress (read by whoever may see them), a plan created
from a template, and a wave changed, by the owning CIO or Cabinet Office staff."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import permissions
from contracts.models import Contract

from .. import schedule, selectors, services
from ..filters import RolloutPlanFilter
from ..models import RolloutTemplate, Wave
from .serializers import (
    RolloutPlanCreateInputSerializer,
    RolloutPlanOutputSerializer,
    RolloutTemplateOutputSerializer,
    RolloutWaveOutputSerializer,
    RolloutWaveUpdateInputSerializer,
)

REFUSED = {
    400: OpenApiResponse(description='Invalid input: `{"field": ["message"]}`; nothing changed.'),
    403: OpenApiResponse(description="You may see this rollout but not change it."),
}


@extend_schema(tags=["rollouts"])
class RolloutListCreateApi(ListAPIView):
    """Rollout plans you may see: a CIO their organisation's, Cabinet Office staff and
    procurement officers everyone's."""

    serializer_class = RolloutPlanOutputSerializer
    filterset_class = RolloutPlanFilter

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user)

    def list(self, request: Request, *args, **kwargs) -> Response:
        today = timezone.localdate()
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        summaries = [selectors.plan_summary(plan, today=today) for plan in page]
        return self.get_paginated_response(RolloutPlanOutputSerializer(summaries, many=True).data)

    @extend_schema(
        request=RolloutPlanCreateInputSerializer,
        responses={201: RolloutPlanOutputSerializer, **REFUSED},
        summary="Create a plan from a template",
        description=(
            "The template's waves are moved to `start_date` and their seats scaled to `seats` "
            "(shared out by largest remainder, so they add up exactly). `start_date` may be up "
            "to 30 days ago, and every wave and milestone must fall within the contract's term "
            "(from 90 days before it starts to its last day). For a contract of your own "
            "organisation (CIO) or any contract (Cabinet Office staff)."
        ),
    )
    def post(self, request: Request) -> Response:
        data = _validated(RolloutPlanCreateInputSerializer, request.data)
        contract = (
            permissions.scope_contracts(request.user, Contract.objects.all())
            .filter(reference=data["contract"])
            .first()
        )
        template = RolloutTemplate.objects.filter(pk=data["template"]).first()
        errors = {}
        if contract is None:
            errors["contract"] = [f"There is no contract {data['contract']} that you can see."]
        if template is None:
            errors["template"] = [f"There is no rollout template {data['template']}."]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        plan = services.rollout_plan_create_from_template(
            actor=request.user,
            contract=contract,
            template=template,
            start_date=data["start_date"],
            seats=data["seats"],
            name=data.get("name", ""),
        )
        summary = selectors.plan_summary(
            selectors.plan_get(user=request.user, pk=plan.pk), today=timezone.localdate()
        )
        return Response(RolloutPlanOutputSerializer(summary).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["rollouts"])
class RolloutDetailApi(GenericAPIView):
    """One rollout plan you may see (404 for any other)."""

    serializer_class = RolloutPlanOutputSerializer

    def get(self, request: Request, pk: int) -> Response:
        plan = selectors.plan_get(user=request.user, pk=pk)
        summary = selectors.plan_summary(plan, today=timezone.localdate())
        return Response(RolloutPlanOutputSerializer(summary).data)


@extend_schema(tags=["rollouts"])
class RolloutWaveApi(GenericAPIView):
    serializer_class = RolloutWaveOutputSerializer

    @extend_schema(
        request=RolloutWaveUpdateInputSerializer,
        responses={200: RolloutWaveOutputSerializer, **REFUSED},
        summary="Change a wave",
        description=(
            "Any subset of the wave's fields. Refused with 400 when the end is before the start, "
            "a date falls outside the contract's term (from 90 days before it starts to its last "
            "day), the waves would need more seats than the contract has, a done wave has no "
            "actual end, or a blocked wave no reason; 403 for someone who may see but not change "
            "the plan; 404 for another organisation's plan."
        ),
    )
    def patch(self, request: Request, pk: int, wave_pk: int) -> Response:
        plan = selectors.plan_get(user=request.user, pk=pk)
        try:
            wave = selectors.wave_get(plan=plan, pk=wave_pk)
        except Wave.DoesNotExist:
            raise Http404("No such wave.") from None
        if not permissions.can_edit_rollout(request.user, plan):
            raise PermissionDenied("You cannot change this rollout plan.")
        data = _validated(RolloutWaveUpdateInputSerializer, request.data)
        change = services.WaveChange(**{**services.WaveChange.of(wave).__dict__, **data})
        today = timezone.localdate()
        wave = services.wave_update(actor=request.user, wave=wave, change=change, today=today)
        row = selectors.WaveRow(
            wave=wave, overdue=schedule.is_overdue(selectors.wave_facts(wave), today=today)
        )
        return Response(RolloutWaveOutputSerializer(row).data)


@extend_schema(tags=["rollouts"])
class RolloutTemplateListApi(ListAPIView):
    """Rollout templates: proven plans saved by the Cabinet Office for anyone to follow."""

    serializer_class = RolloutTemplateOutputSerializer

    def get_queryset(self):
        return selectors.template_list()


def _validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
