"""Reads of organisations and sign-up applications, scoped to what the caller may see."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from accounts.models import User
from catalogue import pricing
from catalogue.models import Service
from catalogue.selectors import quote_for

from .models import (
    ApplicationEvent,
    ApplicationLine,
    ApplicationStatus,
    SignUpApplication,
)

# The comparison the framework is sold on (the start page, templates/home.html): joining through Flex
# takes about 4 months; a department's own full procurement takes 9 to 18.
FLEX_ROUTE_MONTHS = 4
FULL_PROCUREMENT_MONTHS = (9, 18)
DAYS_PER_MONTH = Decimal("30.44")

OPEN_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED)


def _lines_prefetch() -> Prefetch:
    return Prefetch(
        "lines",
        queryset=ApplicationLine.objects.select_related("service").order_by(
            "service__kind", "service__name"
        ),
    )


def application_list(*, user: User, status: str | None = None) -> QuerySet[SignUpApplication]:
    """Applications the user may see, oldest submission first (drafts last), with their
    organisation, decider and lines: three queries however many rows."""
    applications = permissions.scope_applications(user, SignUpApplication.objects.all())
    if status:
        applications = applications.filter(status=status)
    return (
        applications.select_related("organisation", "decided_by")
        .prefetch_related(_lines_prefetch())
        .order_by(F("submitted_at").asc(nulls_last=True), "created_at", "pk")
    )


def application_get(*, user: User, reference: str, details: bool = True) -> SignUpApplication:
    """One application the user may see, with its organisation and (with `details`) its lines,
    audit trail and predecessors; 404 for any other, so another organisation's application is
    not revealed to exist. A transition needs no details: its service re-reads the row locked."""
    queryset = permissions.scope_applications(user, SignUpApplication.objects.all()).select_related(
        "organisation", "decided_by", "created_by"
    )
    if details:
        queryset = queryset.prefetch_related(
            _lines_prefetch(),
            Prefetch(
                "events",
                queryset=ApplicationEvent.objects.select_related("actor").order_by("at", "pk"),
            ),
            "organisation__predecessors",
        )
    application = queryset.filter(reference=reference).first()
    if application is None:
        raise Http404("No such application")
    return application


class ApplicationMove(StrEnum):
    """A move a person may make on an application (one service function each)."""

    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    REJECT = "reject"


def application_actions(*, user: User, application: SignUpApplication) -> frozenset[str]:
    """The moves `user` may make on `application` in its current status: what the pages offer
    and the API lists. The services check the same rules again when a move is made."""
    actions: set[str] = set()
    if application.status == ApplicationStatus.DRAFT:
        if permissions.can_edit_application(user, application):
            actions.add(ApplicationMove.SUBMIT)
    elif application.status == ApplicationStatus.SUBMITTED:
        if permissions.can_edit_application(user, application):
            actions.add(ApplicationMove.WITHDRAW)
        if permissions.can_decide_application(user, application):
            actions |= {ApplicationMove.APPROVE, ApplicationMove.REJECT}
    return frozenset(actions)


def organisation_open_application(*, organisation_id: int) -> SignUpApplication | None:
    return (
        SignUpApplication.objects.filter(organisation_id=organisation_id, status__in=OPEN_STATUSES)
        .order_by("created_at")
        .first()
    )


def application_next_to_decide(
    *, user: User, after: SignUpApplication | None = None
) -> SignUpApplication | None:
    """The oldest submitted application this approver may decide, other than `after`."""
    if not permissions.is_approver(user):
        return None
    queue = SignUpApplication.objects.filter(status=ApplicationStatus.SUBMITTED)
    if user.organisation_id is not None:
        queue = queue.exclude(organisation_id=user.organisation_id)
    if after is not None:
        queue = queue.exclude(pk=after.pk)
    return queue.order_by("submitted_at", "pk").first()


def age_in_days(application: SignUpApplication, *, today: dt.date | None = None) -> int | None:
    """Whole days since submission (until the decision, once decided)."""
    if application.submitted_at is None:
        return None
    end = application.decided_at or timezone.now()
    today = timezone.localdate(end) if today is None else today
    return (today - timezone.localdate(application.submitted_at)).days


# --- pricing impact -----------------------------------------------------------------------


@dataclass(frozen=True)
class PricingImpact:
    """What approving an application does to one service's price, for everyone."""

    service: Service
    seats: int
    framework_seats_now: int
    unit_price_now: Decimal
    unit_price_after: Decimal
    members_saving_per_year: Decimal

    @property
    def percent_lower(self) -> Decimal | None:
        return pricing.percent_saving(self.unit_price_now, self.unit_price_after)


def application_pricing_impact(application: SignUpApplication) -> list[PricingImpact]:
    """Per service asked for: today's price, and the price every member pays once the
    application is approved (its seats added to the framework's). Uses the application's
    prefetched lines; the services' bands cost one query."""
    lines = list(application.lines.all())
    services = {
        s.pk: s
        for s in Service.objects.filter(pk__in=[line.service_id for line in lines])
        .prefetch_related("bands")
        .order_by()
    }
    quote = quote_for(
        lines=[(services[line.service_id], line.seats) for line in lines],
        term_years=application.term_years,
    )
    return [
        PricingImpact(
            service=services[line.service_id],
            seats=line.seats,
            framework_seats_now=priced.service.framework_seats,
            unit_price_now=priced.unit_price_now,
            unit_price_after=priced.unit_price_if_joined,
            members_saving_per_year=(priced.unit_price_now - priced.unit_price_if_joined)
            * priced.service.framework_seats,
        )
        for line, priced in zip(lines, quote.lines, strict=True)
    ]


# --- onboarding lead time -----------------------------------------------------------------


@dataclass(frozen=True)
class OnboardingLeadTime:
    """How long the Cabinet Office takes to decide an application, against the routes an
    organisation could take instead."""

    decided: int
    median_days: Decimal | None
    flex_route_months: int = FLEX_ROUTE_MONTHS
    full_procurement_months: tuple[int, int] = FULL_PROCUREMENT_MONTHS

    @property
    def median_months(self) -> Decimal | None:
        if self.median_days is None:
            return None
        return (self.median_days / DAYS_PER_MONTH).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def flex_route_days(self) -> int:
        return int(self.flex_route_months * DAYS_PER_MONTH)

    @property
    def full_procurement_days(self) -> tuple[int, int]:
        low, high = self.full_procurement_months
        return int(low * DAYS_PER_MONTH), int(high * DAYS_PER_MONTH)


def onboarding_lead_time_summary() -> OnboardingLeadTime:
    """Median days from submission to decision over every approved or rejected application.
    One query."""
    rows: Sequence[tuple[dt.datetime, dt.datetime]] = SignUpApplication.objects.filter(
        status__in=[ApplicationStatus.APPROVED, ApplicationStatus.REJECTED],
        submitted_at__isnull=False,
        decided_at__isnull=False,
    ).values_list("submitted_at", "decided_at")
    durations = [
        Decimal((decided - submitted).total_seconds()) / 86400 for submitted, decided in rows
    ]
    if not durations:
        return OnboardingLeadTime(decided=0, median_days=None)
    median = statistics.median(durations).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return OnboardingLeadTime(decided=len(durations), median_days=median)
