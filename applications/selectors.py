"""Reads of organisations and sign-up applications, scoped to what the caller may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from accounts.models import User
from catalogue import pricing
from catalogue.models import Service, ServiceKind
from catalogue.selectors import scheme_for
from contracts import selectors as contract_selectors
from contracts import values as contract_values
from contracts.models import Contract

from .models import (
    ApplicationEvent,
    ApplicationLine,
    ApplicationStatus,
    ChangeRequest,
    ChangeRequestEvent,
    ChangeRequestLine,
    ChangeStatus,
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
    """What a decision does to one service's price, for everyone: approving a sign-up (its
    seats join the framework) or a change request (`seats` may be negative: fewer seats, so
    the price can rise)."""

    service: Service
    seats: int
    framework_seats_now: int
    unit_price_now: Decimal
    unit_price_after: Decimal
    members_saving_per_year: Decimal

    @property
    def percent_lower(self) -> Decimal | None:
        return pricing.percent_saving(self.unit_price_now, self.unit_price_after)

    @property
    def rises(self) -> bool:
        return self.unit_price_after > self.unit_price_now

    @property
    def percent_higher(self) -> Decimal | None:
        if not self.rises or not self.unit_price_now:
            return None
        return pricing.percent_saving(self.unit_price_after, self.unit_price_now)


def pricing_impact(seat_changes: Sequence[tuple[Service, int]]) -> list[PricingImpact]:
    """Per service (bands prefetched) and change in its seats: the price everyone pays now and
    once the change is made, from the committed contract lines (not the services' cached
    framework seats, which lag while a repricing is pending), so what an approver is shown is
    what approval does. One query."""
    committed = contract_selectors.framework_seats_by_service(s.pk for s, _ in seat_changes)
    impact = []
    for service, seats in seat_changes:
        scheme = scheme_for(service)
        framework_now = committed.get(service.pk, 0)
        now = scheme.unit_price(framework_now)
        after = pricing.unit_price_if_joined(scheme, framework_seats=framework_now, seats=seats)
        impact.append(
            PricingImpact(
                service=service,
                seats=seats,
                framework_seats_now=framework_now,
                unit_price_now=now,
                unit_price_after=after,
                members_saving_per_year=(now - after) * framework_now,
            )
        )
    return impact


def application_pricing_impact(application: SignUpApplication) -> list[PricingImpact]:
    """Per service asked for: today's price, and the price every member pays once the
    application is approved (its seats added to the framework's). Uses the application's
    prefetched lines; the services' bands and the committed seats cost a query each."""
    lines = list(application.lines.all())
    services = {
        s.pk: s
        for s in Service.objects.filter(pk__in=[line.service_id for line in lines])
        .prefetch_related("bands")
        .order_by()
    }
    return pricing_impact([(services[line.service_id], line.seats) for line in lines])


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
    One query, which numbers the decisions by time taken in the database and returns only the
    middle one (or two), with how many there are: never every decision."""
    taken = ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField())
    middle = list(
        SignUpApplication.objects.filter(
            status__in=[ApplicationStatus.APPROVED, ApplicationStatus.REJECTED],
            submitted_at__isnull=False,
            decided_at__isnull=False,
        )
        .annotate(
            position=Window(RowNumber(), order_by=[taken.asc(), F("pk").asc()]),
            decided=Window(Count("pk")),
        )
        # Of n decisions, the middle positions p are those with n <= 2p <= n + 2.
        .filter(position__gte=F("decided") / 2.0, position__lte=F("decided") / 2.0 + 1)
        .values_list("submitted_at", "decided_at", "decided")
    )
    if not middle:
        return OnboardingLeadTime(decided=0, median_days=None)
    days = [
        Decimal((decided - submitted).total_seconds()) / 86400 for submitted, decided, _ in middle
    ]
    median = (sum(days) / len(days)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return OnboardingLeadTime(decided=middle[0][2], median_days=median)


# --- change requests ----------------------------------------------------------------------


def _change_lines_prefetch() -> Prefetch:
    return Prefetch(
        "lines",
        queryset=ChangeRequestLine.objects.select_related("service").order_by(
            "service__kind", "service__name"
        ),
    )


def change_request_list(*, user: User, status: str | None = None) -> QuerySet[ChangeRequest]:
    """Change requests the user may see, oldest first, with organisation, contract, decider
    and lines: three queries however many rows."""
    requests = permissions.scope_change_requests(user, ChangeRequest.objects.all())
    if status:
        requests = requests.filter(status=status)
    return (
        requests.select_related("organisation", "contract", "decided_by")
        .prefetch_related(_change_lines_prefetch())
        .order_by("submitted_at", "pk")
    )


def change_request_get(*, user: User, reference: str, details: bool = True) -> ChangeRequest:
    """One change request the user may see; 404 for any other."""
    queryset = permissions.scope_change_requests(user, ChangeRequest.objects.all()).select_related(
        "organisation", "contract", "decided_by", "created_by"
    )
    if details:
        queryset = queryset.prefetch_related(
            _change_lines_prefetch(),
            Prefetch(
                "events",
                queryset=ChangeRequestEvent.objects.select_related("actor").order_by("at", "pk"),
            ),
        )
    change_request = queryset.filter(reference=reference).first()
    if change_request is None:
        raise Http404("No such change request")
    return change_request


def change_request_actions(*, user: User, change_request: ChangeRequest) -> frozenset[str]:
    """The moves `user` may make on `change_request` now (the services check again)."""
    if change_request.status != ChangeStatus.SUBMITTED:
        return frozenset()
    actions: set[str] = set()
    if permissions.owns(user, change_request.organisation_id):
        actions.add(ApplicationMove.WITHDRAW)
    if permissions.can_decide_application(user, change_request):
        actions |= {ApplicationMove.APPROVE, ApplicationMove.REJECT}
    return frozenset(actions)


def contract_open_change_request(*, contract_id: int) -> ChangeRequest | None:
    return ChangeRequest.objects.filter(
        contract_id=contract_id, status=ChangeStatus.SUBMITTED
    ).first()


@dataclass(frozen=True)
class ChangePreview:
    """What a change does: to every member's price, and to the contract's own cost."""

    impact: list[PricingImpact]
    figures_before: contract_values.ContractFigures
    figures_after: contract_values.ContractFigures

    @property
    def any_rise(self) -> bool:
        return any(row.rises for row in self.impact)

    @property
    def annual_difference(self) -> Decimal:
        return self.figures_after.annual_value - self.figures_before.annual_value


def change_preview(
    *, contract: Contract, seats_after: dict[int, int], services: dict[int, Service]
) -> ChangePreview:
    """The pricing impact of setting `seats_after` (service id -> seats; services not named
    keep theirs) on `contract` (lines with services prefetched), and the contract's annual and
    term cost before and after at the prices the change makes: every line is then charged the
    new framework price, as the repricing approval requests brings about."""
    current = {line.service_id: line for line in contract.lines.all()}
    changed = [
        (services[pk], seats - (current[pk].seats if pk in current else 0))
        for pk, seats in seats_after.items()
        if seats != (current[pk].seats if pk in current else 0)
    ]
    changed_ids = {service.pk for service, _ in changed}
    unchanged = [(line.service, 0) for pk, line in current.items() if pk not in changed_ids]
    # One read of the committed seats for every service on the contract after the change.
    everything = pricing_impact([*changed, *unchanged])
    impact = everything[: len(changed)]
    price_after = {row.service.pk: row.unit_price_after for row in everything}
    after_lines = []
    for pk in dict.fromkeys([*current, *seats_after]):
        seats = seats_after.get(pk, current[pk].seats if pk in current else 0)
        if not seats:
            continue
        service = current[pk].service if pk in current else services[pk]
        after_lines.append(
            contract_values.LineInput(
                seats=seats,
                unit_price_at_signing=current[pk].unit_price_at_signing
                if pk in current
                else price_after[pk],
                current_unit_price=price_after[pk],
                is_core=service.kind == ServiceKind.CORE,
            )
        )
    return ChangePreview(
        impact=impact,
        figures_before=contract_selectors.figures_for(contract),
        figures_after=contract_values.contract_figures(
            after_lines,
            term_years=contract.term_years,
            previous_cost_per_seat=contract.previous_cost_per_seat,
        ),
    )


def change_request_preview(change_request: ChangeRequest) -> ChangePreview:
    """The preview of a submitted request, against the contract as it is now."""
    lines = list(change_request.lines.all())
    services = {
        s.pk: s
        for s in Service.objects.filter(pk__in=[line.service_id for line in lines])
        .prefetch_related("bands")
        .order_by()
    }
    contract = contract_selectors.contract_queryset().get(pk=change_request.contract_id)
    for line in contract.lines.all():
        services.setdefault(line.service_id, line.service)
    return change_preview(
        contract=contract,
        seats_after={line.service_id: line.seats_after for line in lines},
        services=services,
    )


# --- the approver's queue: sign-ups and changes together ----------------------------------


class RequestType(StrEnum):
    ALL = ""
    SIGN_UP = "sign-up"
    CHANGE = "change"


@dataclass(frozen=True)
class QueueRow:
    """A sign-up application or a change request waiting in (or decided from) the queue."""

    kind: RequestType
    item: SignUpApplication | ChangeRequest
    age_in_days: int | None
    largest_line: int


def queue_keys(*, user: User, status: str, kind: str) -> QuerySet:
    """The queue's rows as (kind, pk, submitted_at), oldest first: one query a page over
    sign-ups and change requests together, however many there are."""
    sign_ups = (
        application_list(user=user, status=status)
        .order_by()
        .annotate(kind=Value(RequestType.SIGN_UP.value))
        .values_list("kind", "pk", "submitted_at")
    )
    changes = (
        change_request_list(user=user, status=status)
        .order_by()
        .annotate(kind=Value(RequestType.CHANGE.value))
        .values_list("kind", "pk", "submitted_at")
    )
    if kind == RequestType.SIGN_UP:
        keys = sign_ups
    elif kind == RequestType.CHANGE:
        keys = changes
    else:
        keys = sign_ups.union(changes, all=True)
    return keys.order_by("submitted_at", "kind", "pk")


def queue_rows(keys: Sequence[tuple[str, int, dt.datetime]], *, user: User) -> list[QueueRow]:
    """The page of `queue_keys` with each item read: at most two queries a kind."""
    application_ids = [pk for kind, pk, _ in keys if kind == RequestType.SIGN_UP]
    change_ids = [pk for kind, pk, _ in keys if kind == RequestType.CHANGE]
    applications = (
        {a.pk: a for a in application_list(user=user).filter(pk__in=application_ids)}
        if application_ids
        else {}
    )
    changes = (
        {c.pk: c for c in change_request_list(user=user).filter(pk__in=change_ids)}
        if change_ids
        else {}
    )
    rows = []
    for kind, pk, _ in keys:
        if kind == RequestType.SIGN_UP:
            item = applications[pk]
            largest = max((line.seats for line in item.lines.all()), default=0)
        else:
            item = changes[pk]
            largest = max((abs(line.difference) for line in item.lines.all()), default=0)
        rows.append(QueueRow(RequestType(kind), item, age_in_days(item), largest))
    return rows


def next_to_decide(
    *, user: User, after: SignUpApplication | ChangeRequest | None = None
) -> SignUpApplication | ChangeRequest | None:
    """The oldest submitted sign-up or change request this approver may decide, other than
    `after`: what "next" on a decided page leads to."""
    if not permissions.is_approver(user):
        return None
    found = []
    for model in (SignUpApplication, ChangeRequest):
        queue = model.objects.filter(status="submitted")
        if user.organisation_id is not None:
            queue = queue.exclude(organisation_id=user.organisation_id)
        if after is not None and isinstance(after, model):
            queue = queue.exclude(pk=after.pk)
        first = queue.select_related("organisation").order_by("submitted_at", "pk").first()
        if first is not None:
            found.append(first)
    return min(found, key=lambda item: (item.submitted_at, item.pk), default=None)


# --- a contract's life, as its page shows it ------------------------------------------------


@dataclass(frozen=True)
class TimelineLine:
    service: str
    seats: int
    unit_price_at_signing: Decimal


@dataclass(frozen=True)
class TimelineStep:
    """One event of a contract's timeline, with its lines' seats and prices at that step."""

    event: object  # contracts.models.ContractEvent
    lines: tuple[TimelineLine, ...]


@dataclass(frozen=True)
class ContractLifecycle:
    """What the contract page shows of the contract's life and offers its reader: its
    timeline, a "renew or leave" flag, the change waiting for a decision, and the moves the
    reader may make (change it, end it)."""

    timeline: list
    ending_soon: bool
    ends_on: dt.date
    open_change: ChangeRequest | None
    can_change: bool
    can_end: bool


def contract_lifecycle(*, user: User, contract: Contract, today: dt.date | None = None):
    """Three queries: the timeline with its actors, the services' names, the open change
    request."""
    today = today or timezone.localdate()
    active = contract.status == "active"
    open_change = (
        permissions.scope_change_requests(user, ChangeRequest.objects.all())
        .filter(contract_id=contract.pk, status=ChangeStatus.SUBMITTED)
        .first()
        if active
        else None
    )
    names = dict(Service.objects.order_by().values_list("slug", "name"))
    timeline = [
        TimelineStep(
            event=event,
            lines=tuple(
                TimelineLine(
                    names.get(line["service"], line["service"]),
                    line["seats"],
                    Decimal(line["unit_price_at_signing"]),
                )
                for line in event.lines
            ),
        )
        for event in contract_selectors.contract_timeline(contract)
    ]
    return ContractLifecycle(
        timeline=timeline,
        ending_soon=contract_selectors.contract_ending_soon(contract, today=today),
        ends_on=contract_selectors.contract_ends_on(contract),
        open_change=open_change,
        can_change=active and permissions.can_request_change(user, contract),
        can_end=active and permissions.can_end_contract(user, contract),
    )
