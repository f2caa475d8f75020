"""Reads of contracts, always scoped to what the caller may see (accounts.permissions)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import NotSupportedError, connection
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DateField,
    F,
    Func,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    When,
    Window,
)
from django.db.models.functions import Cast, Round, RowNumber
from django.http import Http404

from accounts import permissions
from catalogue.models import PriceSnapshot, Service, ServiceKind
from core.dates import add_months
from organisations import selectors as organisation_selectors
from organisations.models import Organisation

from . import values
from .models import (
    Contract,
    ContractDownload,
    ContractKind,
    ContractLine,
    ContractStatus,
    ContractTally,
    DownloadTally,
)

# Price history shown per service on a contract page; the catalogue page has the rest.
PRICE_HISTORY_ROWS = 10


def contract_queryset() -> QuerySet[Contract]:
    """Contracts with their organisation and lines (core services first): two queries for any
    number of contracts, which is what list pages, the API and exports need."""
    lines = ContractLine.objects.select_related("service").order_by(
        "service__kind", "service__name", "pk"
    )
    return Contract.objects.select_related("organisation").prefetch_related(
        Prefetch("lines", queryset=lines)
    )


def contracts_visible(*, user) -> QuerySet[Contract]:
    return permissions.scope_contracts(user, contract_queryset())


def contract_get(*, user, reference: str) -> Contract:
    """One contract the user may see; anything else (unknown, or another organisation's) is
    a 404, so a CIO cannot learn that another organisation's reference exists."""
    try:
        return contracts_visible(user=user).get(reference=reference)
    except Contract.DoesNotExist:
        raise Http404("No such contract") from None


def organisations_with_contracts(*, user) -> QuerySet[Organisation]:
    """The organisations a user may filter contracts by."""
    visible = permissions.scope_contracts(user, Contract.objects.all())
    return Organisation.objects.filter(pk__in=visible.values("organisation_id")).order_by("name")


# Suggestions a page of the organisation search returns, and how many pages it goes to.
SUGGESTIONS_PAGE_SIZE = 10
SUGGESTIONS_MAX_PAGE = 20
SUGGESTIONS_MAX_QUERY = 100


@dataclass(frozen=True)
class OrganisationSuggestions:
    results: list[tuple[str, str]]  # (slug, name), names starting with the text first
    page: int
    more: bool


def organisation_suggestions(*, user, text: str, page: int = 1) -> OrganisationSuggestions:
    """Organisations the user may filter contracts by whose name, short name or slug contains
    `text`, a page at a time and never past `SUGGESTIONS_MAX_PAGE` pages: one query, however
    many organisations there are. The caller bounds `text` and `page`."""
    text = text.strip()
    if not text:
        return OrganisationSuggestions(results=[], page=page, more=False)
    start = (page - 1) * SUGGESTIONS_PAGE_SIZE
    rows = list(
        organisations_with_contracts(user=user)
        .filter(organisation_selectors.named(text) | Q(slug__icontains=text))
        .annotate(starts=Case(When(name__istartswith=text, then=0), default=1))
        .order_by("starts", "name")
        .values_list("slug", "name")[start : start + SUGGESTIONS_PAGE_SIZE + 1]
    )
    return OrganisationSuggestions(
        results=rows[:SUGGESTIONS_PAGE_SIZE],
        page=page,
        more=len(rows) > SUGGESTIONS_PAGE_SIZE and page < SUGGESTIONS_MAX_PAGE,
    )


def figures_for(contract: Contract) -> values.ContractFigures:
    """Values of a contract whose lines (with services) are prefetched."""
    return values.contract_figures(
        (
            values.LineInput(
                seats=line.seats,
                unit_price_at_signing=line.unit_price_at_signing,
                current_unit_price=line.current_unit_price,
                is_core=line.service.kind == ServiceKind.CORE,
            )
            for line in contract.lines.all()
        ),
        term_years=contract.term_years,
        previous_cost_per_seat=contract.previous_cost_per_seat,
    )


@dataclass(frozen=True)
class ContractRow:
    """A contract as exports need it: plain values, no model instances."""

    reference: str
    organisation_name: str
    organisation_slug: str
    kind: str
    status: str
    signed_on: dt.date | None
    start_date: dt.date
    end_date: dt.date
    term_years: int
    services: tuple[tuple[str, int], ...]
    figures: values.ContractFigures


ROW_FIELDS = (
    "pk",
    "reference",
    "organisation__name",
    "organisation__slug",
    "kind",
    "status",
    "signed_on",
    "start_date",
    "term_years",
    "previous_cost_per_seat",
)


def contract_rows(contracts: QuerySet[Contract], *, chunk_size: int) -> Iterator[ContractRow]:
    """Every contract of `contracts`, in its order, read `chunk_size` at a time with one query
    for each chunk's lines, so memory stays flat however many contracts there are.

    Plain rows rather than model instances: building tens of thousands of instances (and their
    prefetch querysets) took most of an export's time. The figures come from the same
    `values.contract_figures` as everywhere else, so they match the pages to the penny.
    """
    rows = contracts.prefetch_related(None).values_list(*ROW_FIELDS, named=True)
    chunk = []
    for row in rows.iterator(chunk_size=chunk_size):
        chunk.append(row)
        if len(chunk) == chunk_size:
            yield from _rows_with_lines(chunk)
            chunk = []
    if chunk:
        yield from _rows_with_lines(chunk)


def _rows_with_lines(chunk: list) -> Iterator[ContractRow]:
    lines: dict[int, list] = defaultdict(list)
    line_rows = (
        ContractLine.objects.filter(contract_id__in=[row.pk for row in chunk])
        .order_by("contract_id", "service__kind", "service__name", "pk")
        .values_list(
            "contract_id",
            "service__slug",
            "service__kind",
            "seats",
            "unit_price_at_signing",
            "current_unit_price",
        )
    )
    for contract_id, *line in line_rows:
        lines[contract_id].append(line)
    for row in chunk:
        contract_lines = lines.pop(row.pk, [])
        yield ContractRow(
            reference=row.reference,
            organisation_name=row.organisation__name,
            organisation_slug=row.organisation__slug,
            kind=row.kind,
            status=row.status,
            signed_on=row.signed_on,
            start_date=row.start_date,
            end_date=values.end_date(row.start_date, row.term_years),
            term_years=row.term_years,
            services=tuple((slug, seats) for slug, _, seats, _, _ in contract_lines),
            figures=values.contract_figures(
                (
                    values.LineInput(
                        seats=seats,
                        unit_price_at_signing=at_signing,
                        current_unit_price=now,
                        is_core=kind == ServiceKind.CORE,
                    )
                    for _, kind, seats, at_signing, now in contract_lines
                ),
                term_years=row.term_years,
                previous_cost_per_seat=row.previous_cost_per_seat,
            ),
        )


@dataclass(frozen=True)
class ContractTotals:
    count: int
    annual_value: Decimal
    total_value: Decimal


def contract_totals(contracts: QuerySet[Contract]) -> ContractTotals:
    """How many contracts `contracts` holds and their annual and total value (current prices),
    in one query over the contracts' stored annual values (contracts.services keeps them),
    never their lines: a list's count and totals in a single pass over what it filters.

    The database adds whole pence, so the sums are exact on SQLite too, which would add
    decimals as floats; Python turns the pence back into pounds.
    """
    pence = Cast(Round(F("annual_value") * 100), BigIntegerField())
    sums = contracts.order_by().aggregate(
        count=Count("pk"),
        annual=Sum(pence),
        total=Sum(pence * F("term_years"), output_field=BigIntegerField()),
    )
    return ContractTotals(
        count=sums["count"],
        annual_value=_pounds(sums["annual"]),
        total_value=_pounds(sums["total"]),
    )


class TermEnd(Func):
    """`values.end_date` in SQL: the day after the last day of a term of `term_years` from
    `start` (PostgreSQL's date arithmetic also moves 29 February to 28 February in a year with
    none; tests/rollout/test_going_live_sql.py checks the two agree). PostgreSQL only: SQLite
    moves it to 1 March, so callers read the dates and use `values.end_date` there."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("TermEnd needs PostgreSQL")

    def as_postgresql(self, compiler, connection, **extra_context):
        (start, start_params), (years, years_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return f"({start} + make_interval(years => {years}))::date", (*start_params, *years_params)


# The filters the running tally answers (contracts/tally.py): any others (a keyword, an
# organisation, dates) need the contracts themselves.
TALLIED_FILTERS = frozenset({"status", "kind", "sort"})


def contract_list_totals(
    *, user, contracts: QuerySet[Contract], filters: dict[str, str]
) -> ContractTotals:
    """The count and totals of a contracts list: `contracts` is the list as filtered by
    `filters` (its valid, non-empty query parameters). For a caller who sees every contract,
    filtering by status and kind at most, they come from the running tally (PostgreSQL: a few
    rows, however many contracts); otherwise `contract_totals` sums the contracts."""
    if (
        connection.vendor != "postgresql"
        or not permissions.can_see_all_organisations_records(user)
        or set(filters) - TALLIED_FILTERS
    ):
        return contract_totals(contracts)
    tallies = ContractTally.objects.all()
    if filters.get("status"):
        tallies = tallies.filter(status=filters["status"])
    if filters.get("kind"):
        tallies = tallies.filter(kind=filters["kind"])
    sums = tallies.aggregate(
        count=Sum("contracts"), annual=Sum("annual_pence"), total=Sum("total_pence")
    )
    return ContractTotals(
        count=int(sums["count"] or 0),
        annual_value=_pounds(sums["annual"]),
        total_value=_pounds(sums["total"]),
    )


def _pounds(pence) -> Decimal:
    return (Decimal(int(pence or 0)) / 100).quantize(values.ZERO)


@dataclass(frozen=True)
class ServicePriceHistory:
    service: Service
    snapshots: list[PriceSnapshot]
    more: bool


def latest_snapshots(service_ids, *, rows: int) -> QuerySet[PriceSnapshot]:
    """At most `rows` snapshots of each service, newest first: the database numbers each
    service's snapshots and returns only the first `rows`, however long the history."""
    return (
        PriceSnapshot.objects.filter(service_id__in=service_ids)
        .annotate(
            row=Window(
                RowNumber(),
                partition_by=F("service_id"),
                order_by=[F("effective_at").desc(), F("pk").desc()],
            )
        )
        .filter(row__lte=rows)
        .order_by("service_id", "-effective_at", "-pk")
    )


def price_history(contract: Contract) -> list[ServicePriceHistory]:
    """The latest price changes of each of the contract's services, newest first."""
    services = {line.service_id: line.service for line in contract.lines.all()}
    by_service: dict[int, list[PriceSnapshot]] = defaultdict(list)
    for snapshot in latest_snapshots(services, rows=PRICE_HISTORY_ROWS + 1):
        by_service[snapshot.service_id].append(snapshot)
    return [
        ServicePriceHistory(
            service=service,
            snapshots=by_service[service_id][:PRICE_HISTORY_ROWS],
            more=len(by_service[service_id]) > PRICE_HISTORY_ROWS,
        )
        for service_id, service in services.items()
    ]


def download_log() -> QuerySet[ContractDownload]:
    return ContractDownload.objects.select_related("user", "contract")


def download_log_length() -> int:
    """How many downloads the log holds: on PostgreSQL the sum of its running count (a few rows,
    contracts/tally.py), elsewhere counted."""
    if connection.vendor != "postgresql":
        return ContractDownload.objects.count()
    return int(DownloadTally.objects.aggregate(n=Sum("downloads"))["n"] or 0)


def framework_seats_by_service(service_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Seats on active contracts, per service id (only `service_ids`, if given), recomputed
    from the committed contract lines: the state a repricing, an approval and the pricing
    impact shown to an approver all start from, whether or not a repricing is pending."""
    lines = ContractLine.objects.filter(contract__status=ContractStatus.ACTIVE)
    if service_ids is not None:
        lines = lines.filter(service_id__in=list(service_ids))
    rows = lines.values("service_id").annotate(seats=Sum("seats")).order_by()
    return {row["service_id"]: row["seats"] for row in rows}


@dataclass(frozen=True)
class DueToEnd:
    """An active contract whose notice or term has run out, and the day it ends."""

    contract_id: int
    on: dt.date
    expired: bool  # its term ran out (rather than its notice)


def contracts_due_to_end(*, today: dt.date) -> list[DueToEnd]:
    """Active contracts whose notice date or term end is today or past: one query over the
    active contracts' dates (the end of a term is derived from start and term)."""
    due = []
    rows = Contract.objects.filter(status=ContractStatus.ACTIVE).values_list(
        "pk", "start_date", "term_years", "notice_on"
    )
    for pk, start, term, notice_on in rows.iterator(chunk_size=5000):
        term_end = values.end_date(start, term)
        if notice_on is not None and notice_on <= today and notice_on < term_end:
            due.append(DueToEnd(contract_id=pk, on=notice_on, expired=False))
        elif term_end <= today:
            due.append(DueToEnd(contract_id=pk, on=term_end, expired=True))
    return due


def organisation_has_active_contract(*, organisation_id: int) -> bool:
    return Contract.objects.filter(
        organisation_id=organisation_id, status=ContractStatus.ACTIVE
    ).exists()


def contract_timeline(contract: Contract) -> QuerySet:
    """The contract's events, oldest first, with who acted: one query."""
    return contract.events.select_related("actor").order_by("at", "pk")


def organisation_platform_contract(*, organisation_id: int) -> Contract | None:
    """The organisation's active full platform contract, if it has one."""
    return (
        Contract.objects.filter(
            organisation_id=organisation_id,
            status=ContractStatus.ACTIVE,
            kind=ContractKind.PLATFORM,
        )
        .order_by("signed_on", "pk")
        .first()
    )


def organisation_active_contracts(*, organisation_id: int) -> QuerySet[Contract]:
    """The organisation's active contracts, platform first."""
    return Contract.objects.filter(
        organisation_id=organisation_id, status=ContractStatus.ACTIVE
    ).order_by("-kind", "signed_on", "pk")


# A member is told to renew or leave when its contract ends within this many months.
RENEW_OR_LEAVE_MONTHS = 6


def contract_ends_on(contract: Contract) -> dt.date:
    """The day the contract stops counting: its notice date, else the end of its term."""
    return contract.notice_on or contract.end_date


def contract_ending_soon(contract: Contract, *, today: dt.date) -> bool:
    """An active contract ending within RENEW_OR_LEAVE_MONTHS: "renew or leave"."""
    return contract.status == ContractStatus.ACTIVE and contract_ends_on(contract) <= add_months(
        today, RENEW_OR_LEAVE_MONTHS
    )


@dataclass(frozen=True)
class PriceChange:
    """A change in what a member pays per seat for one service since a moment: the price
    then and now, and the causes on record ("DIUS added 600 wireless access seats")."""

    service_name: str
    old_price: Decimal
    new_price: Decimal
    causes: tuple[str, ...]

    @property
    def fell(self) -> bool:
        return self.new_price < self.old_price


def price_changes_since(*, organisation_id: int, since: dt.datetime) -> list[PriceChange]:
    """For each service on the organisation's active contracts whose price moved after
    `since`: the price at `since` (the last snapshot before it), the price now and the causes
    in between. Three queries however long the history."""
    service_ids = list(
        ContractLine.objects.filter(
            contract__organisation_id=organisation_id, contract__status=ContractStatus.ACTIVE
        )
        .order_by()
        .values_list("service_id", flat=True)
        .distinct()
    )
    if not service_ids:
        return []
    later = list(
        PriceSnapshot.objects.filter(service_id__in=service_ids, effective_at__gt=since)
        .select_related("service")
        .order_by("service__kind", "service__name", "effective_at", "pk")
    )
    if not later:
        return []
    before = {
        row["service_id"]: row["unit_price"]
        for row in PriceSnapshot.objects.filter(
            service_id__in={s.service_id for s in later}, effective_at__lte=since
        )
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=F("service_id"),
                order_by=[F("effective_at").desc(), F("pk").desc()],
            )
        )
        .filter(newest=1)
        .values("service_id", "unit_price")
    }
    by_service: dict[int, list[PriceSnapshot]] = defaultdict(list)
    for snapshot in later:
        by_service[snapshot.service_id].append(snapshot)
    changes = []
    for snapshots in by_service.values():
        first, last = snapshots[0], snapshots[-1]
        old = before.get(first.service_id, first.unit_price)
        if old == last.unit_price:
            continue
        changes.append(
            PriceChange(
                service_name=first.service.name,
                old_price=old,
                new_price=last.unit_price,
                causes=tuple(dict.fromkeys(s.reason for s in snapshots)),
            )
        )
    return changes
