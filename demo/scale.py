"""Scale data for benchmarks: the Flex framework opened to the whole public sector.

`load_scale_data(organisations=40_000)` adds, on top of whatever is there (the demo data, or an
empty database; the services are made first if missing), data shaped like the public sector,
each figure proportional to `organisations` (the numbers in brackets are for 40,000):

- organisations of mixed kinds and sizes: a few ministerial departments of thousands of seats
  (10), non-ministerial departments of 1,000-6,000 (90), agencies of 100-1,500 (8,000) and
  many other bodies of 20-500;
- contracts (about 48,000: a full platform contract for each member, an integration call-off
  for a third of them, ended contracts for former members) with about 200,000 active lines;
- sign-up applications of every status (5,000), with their lines and audit events;
- download-log rows (200,000), price snapshots on the core service (10,000) and rollout plans
  with waves and milestones (2,000);
- users behind them: a CIO for each applicant, an approver and procurement officers, none of
  whom can sign in (unusable passwords).

Benchmark data, not real data: real writes go through each app's services, one action at a
time, with their checks and events. This loader instead builds rows with set-based bulk
inserts (`bulk_create`, thousands of rows a statement) so 40,000 organisations load in well
under two minutes. It keeps what the services would keep: every database constraint, stored
annual values (`contracts.services.contract_annual_values_refresh`), reference numbers in the
usual format (numbered from 100,000 up, so the reference counters skip past them), and it ends
with a real repricing run (`repricing.services.framework_reprice`) that brings every service's
framework seats and price, every active line and every annual value to what the data implies.

Organisation number `i` always gets the same rows (for a given `seed`), so loading 10,000 and
then 40,000 adds organisations 10,000 to 39,999 and gives the same data as loading 40,000 at
once; asking for as many as are loaded changes nothing, asking for fewer is refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role, User
from applications.models import (
    ApplicationAction,
    ApplicationEvent,
    ApplicationLine,
    ApplicationStatus,
    SignUpApplication,
)
from catalogue.models import PriceSnapshot, Service, ServiceKind
from catalogue.selectors import scheme_for
from contracts import services as contract_services
from contracts import values
from contracts.models import (
    Contract,
    ContractDownload,
    ContractEvent,
    ContractEventKind,
    ContractKind,
    ContractLine,
    ContractStatus,
    DownloadKind,
)
from contracts.selectors import framework_seats_by_service
from core.history import CREATED, history_context, history_recorded
from core.references import reference_format
from organisations.models import MembershipStatus, Organisation, OrganisationKind
from repricing import services as repricing_services
from rollout.models import Milestone, RolloutPlan, Wave, WaveStatus

from .loader import load_services

SLUG_PREFIX = "scale-"
# Reference numbers of scale rows start here, well clear of any the portal hands out itself.
REFERENCE_BASE = 100_000
BATCH = 5_000
PROCUREMENT_USERS = 10

EXTRAS = ("wireless", "collaboration", "hr-systems", "email", "intranet", "staff-directory")
INTEGRATION_SERVICES = ("email", "intranet", "staff-directory")
APPLICATION_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
)

PLACES = (
    "North", "South", "East", "West", "Central", "Coastal", "Northern", "Southern", "Eastern",
    "Western", "Upland", "Lowland", "Midland", "Border", "Valley", "Metropolitan",
)  # fmt: skip
SUBJECTS = (
    "Health", "Education", "Transport", "Housing", "Water", "Marine", "Heritage", "Skills",
    "Courts", "Land Registry", "Pensions", "Statistics", "Fire and Rescue", "Parks", "Archives",
    "Science", "Energy", "Food Standards", "Veterinary", "Forestry",
)  # fmt: skip
KIND_WORDS = {
    OrganisationKind.MINISTERIAL: "Department",
    OrganisationKind.NON_MINISTERIAL: "Office",
    OrganisationKind.AGENCY: "Agency",
    OrganisationKind.OTHER: "Board",
}


class ScaleDataRefused(Exception):
    """More scale organisations are loaded than were asked for: the loader never deletes."""


def _mix(seed: int, i: int, salt: int) -> int:
    """A deterministic pseudo-random number for organisation `i` (Knuth's multiplicative hash):
    the same every run, without keeping a generator's state between organisations."""
    return ((i + 1) * 2_654_435_761 + salt * 40_503 + seed * 2_246_822_519) % 4_294_967_296


@dataclass(frozen=True)
class Body:
    """What organisation number `i` is, derived from `i` and the seed alone."""

    i: int
    kind: str
    staff: int
    desktops: int
    application_status: str | None  # has a sign-up application with this status
    former: bool  # left: its platform contract has ended
    integration: bool  # also holds an integration call-off contract
    rollout: bool  # its platform contract has a rollout plan

    @property
    def member(self) -> bool:
        return not self.former and self.application_status in (None, ApplicationStatus.APPROVED)

    @property
    def has_platform(self) -> bool:
        return self.member or self.former

    @property
    def slug(self) -> str:
        return f"{SLUG_PREFIX}{self.i:06d}"


def _body(seed: int, i: int) -> Body:
    h = _mix(seed, i, 1)
    if i % 4000 == 0:
        kind, staff = OrganisationKind.MINISTERIAL, 5_000 + h % 35_000
    elif i % 400 == 0:
        kind, staff = OrganisationKind.NON_MINISTERIAL, 1_000 + h % 5_000
    elif i % 5 == 1:
        kind, staff = OrganisationKind.AGENCY, 100 + h % 1_400
    else:
        kind, staff = OrganisationKind.OTHER, 20 + h % 481
    application = APPLICATION_STATUSES[(i // 8) % 5] if i % 8 == 0 else None
    former = i % 50 == 49
    member = not former and application in (None, ApplicationStatus.APPROVED)
    return Body(
        i=i,
        kind=kind,
        staff=staff,
        desktops=max(1, staff * (85 + h % 16) // 100),
        application_status=application,
        former=former,
        integration=member and i % 3 == 0,
        rollout=member and i % 20 == 1,
    )


def _name(seed: int, body: Body) -> str:
    h = _mix(seed, body.i, 2)
    place = PLACES[h % len(PLACES)]
    subject = SUBJECTS[(h // 16) % len(SUBJECTS)]
    return f"{place} {subject} {KIND_WORDS[body.kind]} {body.i:05d}"


@dataclass
class _Prices:
    """Each service's scheme and the framework seats as the load goes, to price lines at
    signing as the portal would have priced them then; and today's price once every new line
    counts, so active lines are inserted at the price the final repricing would give them (it
    then has nothing of theirs to rewrite)."""

    services: dict[str, Service]
    schemes: dict[str, object]
    seats: dict[str, int]
    signed: dict[str, int]  # seats signed by this load
    final: dict[str, Decimal]

    @classmethod
    def start(cls, services: dict[str, Service]) -> _Prices:
        by_id = framework_seats_by_service()
        return cls(
            services=services,
            schemes={slug: scheme_for(service) for slug, service in services.items()},
            seats={slug: by_id.get(service.pk, 0) for slug, service in services.items()},
            signed=defaultdict(int),
            final={},
        )

    def sign(self, slug: str, seats: int) -> Decimal:
        self.seats[slug] += seats
        self.signed[slug] += seats
        return self.schemes[slug].unit_price(self.seats[slug])

    def settle(self, new_seats: dict[str, int]) -> None:
        self.final = {
            slug: scheme.unit_price(max(1, self.seats[slug] + new_seats.get(slug, 0)))
            for slug, scheme in self.schemes.items()
        }


def load_scale_data(organisations: int, seed: int = 0) -> dict:
    """Load scale data up to `organisations` scale organisations (see the module docstring) and
    return what is there: counts of each kind of row, plus `added` (organisations added by this
    call) and `seconds`. Raises ScaleDataRefused if more are already loaded."""
    if organisations < 0:
        raise ValueError("organisations must be 0 or more")
    started = time.perf_counter()
    with transaction.atomic():
        # One loader at a time: a second waits here, then finds the first one's rows.
        Service.objects.select_for_update().filter(kind=ServiceKind.CORE).exists()
        loaded = Organisation.objects.filter(slug__startswith=SLUG_PREFIX).count()
        if loaded > organisations:
            raise ScaleDataRefused(
                f"{loaded:,} scale organisations are already loaded, more than the "
                f"{organisations:,} asked for; load into a fresh database instead."
            )
        if loaded < organisations:
            _load(range(loaded, organisations), seed=seed)
    return {
        **scale_data_counts(),
        "added": organisations - loaded,
        "seconds": round(time.perf_counter() - started, 1),
    }


def scale_data_counts() -> dict:
    """How many scale rows of each kind are in the database."""
    scale_contracts = Contract.objects.filter(organisation__slug__startswith=SLUG_PREFIX)
    return {
        "organisations": Organisation.objects.filter(slug__startswith=SLUG_PREFIX).count(),
        "contracts": scale_contracts.count(),
        "active_lines": ContractLine.objects.filter(
            contract__in=scale_contracts.filter(status=ContractStatus.ACTIVE)
        ).count(),
        "applications": SignUpApplication.objects.filter(
            organisation__slug__startswith=SLUG_PREFIX
        ).count(),
        "downloads": ContractDownload.objects.filter(
            user__username__startswith=SLUG_PREFIX
        ).count(),
        "price_snapshots": PriceSnapshot.objects.filter(
            caused_by__slug__startswith=SLUG_PREFIX
        ).count(),
        "rollout_plans": RolloutPlan.objects.filter(
            contract__organisation__slug__startswith=SLUG_PREFIX
        ).count(),
    }


def _load(numbers: range, *, seed: int) -> None:
    now = timezone.now()
    today = timezone.localdate()
    bodies = [_body(seed, i) for i in numbers]
    services = load_services()
    groups = account_services.role_groups_ensure()
    prices = _Prices.start(services)

    last_pks = {model: _last_pk(model) for model in TRACKED}
    with _history_triggers_off():
        orgs = _organisations(bodies, seed=seed, today=today)
        users = _users(bodies, orgs, groups=groups)
        platform = _contracts(bodies, orgs, prices=prices, seed=seed, today=today)
        _applications(bodies, orgs, platform, users, prices=prices, seed=seed, now=now)
        _price_snapshots(bodies, orgs, prices=prices, now=now)
        _downloads(bodies, platform, users, seed=seed, now=now)
        _rollouts(bodies, orgs, platform, seed=seed)
    for model, last_pk in last_pks.items():
        _history_created(model, after_pk=last_pk)
    # Writes nothing when the values stored above are right (as tests/demo prove).
    contract_services.contract_annual_values_refresh(
        contracts=Contract.objects.filter(pk__gt=last_pks[Contract])
    )
    with history_context(reason="Scale data for benchmarks", source="load_scale_data"):
        repricing_services.repricing_request(
            reason=f"{len(bodies):,} organisations joined (scale data)", caused_by=None
        )
        repricing_services.framework_reprice(force=True)
    if connection.vendor == "postgresql":
        # Fresh planner statistics for the tables just filled, as autovacuum would give them
        # later: without them the first benchmark runs plan for the old, small tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# The models with a change history (core.history) that this loader inserts into.
TRACKED = (Organisation, Contract, ContractLine, Wave)


def _last_pk(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@contextlib.contextmanager
def _history_triggers_off() -> Iterator[None]:
    """Bulk inserts without the history's per-row insert triggers (each runs a PL/pgSQL block
    per row, several times slower than the insert itself); `_history_created` then records the
    same "created" events with one INSERT ... SELECT a table. Nothing to do on SQLite.

    django-pgtrigger's triggers skip themselves when their name is in the transaction's
    `pgtrigger.ignore` setting. `pgtrigger.ignore()` sets it by rewriting every statement on
    the client, which costs more than the triggers for inserts of thousands of rows; this sets
    it once for the rest of the transaction instead, and clears it afterwards."""
    if not history_recorded():
        yield
        return
    names = [
        trigger.get_pgid(model)
        for model in TRACKED
        for trigger in model._meta.triggers
        if trigger.name == "created_insert"
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + ",".join(names) + "}"]
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")


def _history_created(model, *, after_pk: int) -> None:
    """The "created" event the insert trigger would have written, for each row of `model` with
    a primary key above `after_pk`, in one statement, under a context naming this loader."""
    if not history_recorded():
        return
    event = model._meta.get_field("history").related_model
    quote = connection.ops.quote_name
    event_columns = {f.column for f in event._meta.concrete_fields}
    columns = [
        f.column
        for f in model._meta.concrete_fields
        if f.column in event_columns and not f.column.startswith("pgh_")
    ]
    names = ", ".join(quote(column) for column in columns)
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(event._meta.db_table)} "  # noqa: S608 (names from models)
            f"({names}, pgh_created_at, pgh_label, pgh_obj_id) "
            f"SELECT {names}, NOW(), %s, {pk} FROM {quote(model._meta.db_table)} "
            f"WHERE {pk} > %s",
            [CREATED, after_pk],
        )


def _insert(model, rows: Iterable[dict]) -> None:
    """Insert `rows` (field attnames to values; the fields left out take their defaults) in as
    few statements as the database allows: PostgreSQL's COPY, one statement for any number of
    rows and no model instances; elsewhere (SQLite, in tests) `bulk_create`."""
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key or f.generated)]
    now = timezone.now()
    defaults = {
        f.attname: now
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
        else f.get_default()
        for f in fields
    }
    if connection.vendor != "postgresql":
        model.objects.bulk_create((model(**{**defaults, **row}) for row in rows), batch_size=BATCH)
        return
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    names = [f.attname for f in fields]
    with connection.cursor() as wrapper:
        raw = wrapper.cursor  # psycopg's own cursor: COPY, and none of Django's wrappers
        with raw.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = {**defaults, **row}
                for name in json_fields:
                    values[name] = json.dumps(values[name])
                copy.write_row([values[name] for name in names])


def _ids(model, key: str, *, after_pk: int) -> dict:
    """The primary keys of the rows just inserted (above `after_pk`), by their natural key."""
    return dict(model.objects.filter(pk__gt=after_pk).values_list(key, "pk"))


def _organisations(bodies: list[Body], *, seed: int, today: dt.date) -> dict[int, dict]:
    after = _last_pk(Organisation)
    rows = {
        body.i: {
            "slug": body.slug,
            "name": _name(seed, body),
            "kind": body.kind,
            "staff": body.staff,
            "desktops": body.desktops,
            "membership_status": (
                MembershipStatus.ACTIVE
                if body.member
                else MembershipStatus.FORMER
                if body.former
                else MembershipStatus.PROSPECTIVE
            ),
            "joined_on": _platform_signed(seed, body, today) if body.has_platform else None,
        }
        for body in bodies
    }
    _insert(Organisation, rows.values())
    ids = _ids(Organisation, "slug", after_pk=after)
    for row in rows.values():
        row["id"] = ids[row["slug"]]
    return rows


def _users(bodies: list[Body], orgs: dict[int, dict], *, groups: dict) -> dict:
    """A CIO for each applicant, one approver and a few procurement officers; none can sign in."""
    people = [
        (f"{SLUG_PREFIX}cio-{b.i:06d}", orgs[b.i]["id"], Role.CIO)
        for b in bodies
        if b.application_status is not None
    ]
    if not User.objects.filter(username=f"{SLUG_PREFIX}approver").exists():
        people.append((f"{SLUG_PREFIX}approver", None, Role.APPROVER))
        people += [
            (f"{SLUG_PREFIX}procurement-{k}", None, Role.PROCUREMENT)
            for k in range(PROCUREMENT_USERS)
        ]
    after = _last_pk(User)
    unusable = make_password(None)  # "!" and random text: no password matches it
    _insert(
        User,
        (
            {
                "username": username,
                "email": f"{username}@example.gov.uk",
                "organisation_id": organisation_id,
                "password": unusable,
                "is_staff": role == Role.APPROVER,
            }
            for username, organisation_id, role in people
        ),
    )
    ids = _ids(User, "username", after_pk=after)
    _insert(
        User.groups.through,
        ({"user_id": ids[username], "group_id": groups[role].pk} for username, _, role in people),
    )
    return {
        "cio": {organisation_id: ids[username] for username, organisation_id, _ in people},
        "approver": User.objects.get(username=f"{SLUG_PREFIX}approver").pk,
        "procurement": list(
            User.objects.filter(username__startswith=f"{SLUG_PREFIX}procurement-")
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    }


def _platform_signed(seed: int, body: Body, today: dt.date) -> dt.date:
    # Former members signed earlier (1,100 to 1,500 days ago) than members (30 to 1,030).
    if body.former:
        return today - dt.timedelta(days=1_100 + _mix(seed, body.i, 3) % 400)
    return today - dt.timedelta(days=30 + _mix(seed, body.i, 3) % 1_000)


def _extras_of(seed: int, body: Body) -> list[str]:
    h = _mix(seed, body.i, 4)
    count = 3 + h % 3  # 3 to 5 extras: about five lines a platform contract
    start = (h // 3) % len(EXTRAS)
    return [EXTRAS[(start + k) % len(EXTRAS)] for k in range(count)]


def _extra_seats(seed: int, body: Body, slug: str) -> int:
    return max(1, body.desktops * (40 + _mix(seed, body.i, 5 + len(slug)) % 61) // 100)


def _contract_specs(
    bodies: list[Body], orgs: dict[int, dict], *, seed: int, today: dt.date
) -> list[tuple[Body, dict, list[tuple[str, int]]]]:
    """Each body's contracts (as rows) with the services and seats of their lines."""
    specs = []
    for body in bodies:
        h = _mix(seed, body.i, 6)
        if body.has_platform:
            signed = _platform_signed(seed, body, today)
            contract = {
                "reference": reference_format(
                    prefix=contract_services.REFERENCE_PREFIX,
                    year=signed.year,
                    number=REFERENCE_BASE + 2 * body.i,
                ),
                "organisation_id": orgs[body.i]["id"],
                "kind": ContractKind.PLATFORM,
                "status": ContractStatus.ENDED if body.former else ContractStatus.ACTIVE,
                "signed_on": signed,
                "start_date": signed + dt.timedelta(days=14 + h % 46),
                "term_years": 3 if body.former else 5 + h % 3,
                "previous_cost_per_seat": Decimal(2000 + h % 1500) if h % 3 else None,
                "ended_on": today - dt.timedelta(days=1 + h % 60) if body.former else None,
            }
            wanted = [("desktop", body.desktops)] + [
                (slug, _extra_seats(seed, body, slug)) for slug in _extras_of(seed, body)
            ]
            specs.append((body, contract, wanted))
        if body.integration:
            signed = today - dt.timedelta(days=10 + h % 300)
            contract = {
                "reference": reference_format(
                    prefix=contract_services.REFERENCE_PREFIX,
                    year=signed.year,
                    number=REFERENCE_BASE + 2 * body.i + 1,
                ),
                "organisation_id": orgs[body.i]["id"],
                "kind": ContractKind.INTEGRATION,
                "status": ContractStatus.ACTIVE,
                "signed_on": signed,
                "start_date": signed + dt.timedelta(days=7),
                "term_years": 2,
            }
            first = _mix(seed, body.i, 7) % len(INTEGRATION_SERVICES)
            wanted = [
                (INTEGRATION_SERVICES[(first + k) % len(INTEGRATION_SERVICES)], body.desktops)
                for k in range(2)
            ]
            specs.append((body, contract, wanted))
    return specs


def _contracts(
    bodies: list[Body], orgs: dict[int, dict], *, prices: _Prices, seed: int, today: dt.date
) -> dict[int, dict]:
    """Each body's contracts, lines and timeline events; returns the platform contracts."""
    specs = _contract_specs(bodies, orgs, seed=seed, today=today)
    new_seats: dict[str, int] = defaultdict(int)
    for _, contract, wanted in specs:
        if contract["status"] == ContractStatus.ACTIVE:
            for slug, seats in wanted:
                new_seats[slug] += seats
    prices.settle(new_seats)

    lines_of = []
    for _, contract, wanted in specs:
        lines = []
        for slug, seats in wanted:
            if contract["status"] == ContractStatus.ACTIVE:
                at_signing = prices.sign(slug, seats)
                price = prices.final[slug]
            else:
                # A former member's: it kept the last price it paid, about then.
                at_signing = price = prices.schemes[slug].unit_price(max(1, prices.seats[slug]))
            lines.append((slug, seats, at_signing, price))
        # The one annual value rule; contract_annual_values_refresh would store the same.
        contract["annual_value"] = values.contract_figures(
            (
                values.LineInput(
                    seats=seats,
                    unit_price_at_signing=at_signing,
                    current_unit_price=price,
                    is_core=prices.services[slug].kind == ServiceKind.CORE,
                )
                for slug, seats, at_signing, price in lines
            ),
            term_years=contract["term_years"],
            previous_cost_per_seat=contract.get("previous_cost_per_seat"),
        ).annual_value
        lines_of.append(lines)

    after = _last_pk(Contract)
    _insert(Contract, (contract for _, contract, _ in specs))
    ids = _ids(Contract, "reference", after_pk=after)
    for _, contract, _ in specs:
        contract["id"] = ids[contract["reference"]]

    _insert(
        ContractLine,
        (
            {
                "contract_id": contract["id"],
                "service_id": prices.services[slug].pk,
                "seats": seats,
                "unit_price_at_signing": at_signing,
                "current_unit_price": price,
            }
            for (_, contract, _), lines in zip(specs, lines_of, strict=True)
            for slug, seats, at_signing, price in lines
        ),
    )
    _insert(ContractEvent, _contract_events(specs, lines_of))
    return {
        body.i: contract for body, contract, _ in specs if contract["kind"] == ContractKind.PLATFORM
    }


def _contract_events(specs: list, lines_of: list) -> Iterator[dict]:
    for (_, contract, _), lines in zip(specs, lines_of, strict=True):
        recorded = [
            {"service": slug, "seats": seats, "unit_price_at_signing": str(at_signing)}
            for slug, seats, at_signing, _ in lines
        ]
        yield {
            "contract_id": contract["id"],
            "at": _at(contract["signed_on"]),
            "kind": ContractEventKind.SIGNED,
            "detail": f"Signed for {contract['term_years']} years from "
            f"{contract['start_date']:%-d %B %Y}.",
            "lines": recorded,
        }
        if contract["status"] == ContractStatus.ENDED:
            yield {
                "contract_id": contract["id"],
                "at": _at(contract["ended_on"]),
                "kind": ContractEventKind.ENDED,
                "detail": "Left the framework.",
                "lines": recorded,
            }


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _applications(
    bodies: list[Body],
    orgs: dict[int, dict],
    platform: dict[int, dict],
    users: dict,
    *,
    prices: _Prices,
    seed: int,
    now: dt.datetime,
) -> None:
    decided_statuses = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)
    specs = []
    for body in bodies:
        status = body.application_status
        if status is None:
            continue
        h = _mix(seed, body.i, 8)
        contract = platform.get(body.i) if status == ApplicationStatus.APPROVED else None
        if contract is not None:
            submitted = _at(contract["signed_on"], 9) - dt.timedelta(days=5 + h % 40)
        else:
            submitted = now - dt.timedelta(days=1 + h % 200, hours=h % 24)
        decided = submitted + dt.timedelta(days=1 + h % 20)
        application = {
            "reference": reference_format(
                prefix="FLEX", year=submitted.year, number=REFERENCE_BASE + body.i
            ),
            "organisation_id": orgs[body.i]["id"],
            "status": status,
            "term_years": 5,
            "requested_start": (submitted + dt.timedelta(days=120)).date().replace(day=1),
            "current_cost_per_seat": Decimal(2000 + h % 1500) if h % 2 else None,
            "created_by_id": users["cio"][orgs[body.i]["id"]],
            "created_at": submitted - dt.timedelta(hours=2),
            "submitted_at": None if status == ApplicationStatus.DRAFT else submitted,
            "decided_at": decided if status in decided_statuses else None,
            "decided_by_id": users["approver"] if status in decided_statuses else None,
            "reason": "Not a public-sector body." if status == ApplicationStatus.REJECTED else "",
            "contract_id": contract["id"] if contract is not None else None,
        }
        specs.append((body, application, decided))
    after = _last_pk(SignUpApplication)
    _insert(SignUpApplication, (application for _, application, _ in specs))
    ids = _ids(SignUpApplication, "reference", after_pk=after)

    lines = []
    events = []
    for body, application, decided in specs:
        pk = ids[application["reference"]]
        lines.append(
            {
                "application_id": pk,
                "service_id": prices.services["desktop"].pk,
                "seats": body.desktops,
            }
        )
        lines += [
            {
                "application_id": pk,
                "service_id": prices.services[slug].pk,
                "seats": _extra_seats(seed, body, slug),
            }
            for slug in _extras_of(seed, body)[:2]
        ]
        cio = application["created_by_id"]
        events.append(
            {
                "application_id": pk,
                "at": application["created_at"],
                "actor_id": cio,
                "action": ApplicationAction.CREATED,
            }
        )
        if application["status"] == ApplicationStatus.DRAFT:
            continue
        events.append(
            {
                "application_id": pk,
                "at": application["submitted_at"],
                "actor_id": cio,
                "action": ApplicationAction.SUBMITTED,
            }
        )
        decision = {
            ApplicationStatus.APPROVED: (ApplicationAction.APPROVED, users["approver"]),
            ApplicationStatus.REJECTED: (ApplicationAction.REJECTED, users["approver"]),
            ApplicationStatus.WITHDRAWN: (ApplicationAction.WITHDRAWN, cio),
        }.get(application["status"])
        if decision is not None:
            events.append(
                {
                    "application_id": pk,
                    "at": decided,
                    "actor_id": decision[1],
                    "action": decision[0],
                    "detail": application["reason"],
                }
            )
    _insert(ApplicationLine, lines)
    _insert(ApplicationEvent, events)


def _price_snapshots(
    bodies: list[Body], orgs: dict[int, dict], *, prices: _Prices, now: dt.datetime
) -> None:
    """One snapshot of the core price for every fourth organisation, as members joined over the
    past years (the final repricing adds today's)."""
    core = prices.services["desktop"]
    scheme = prices.schemes["desktop"]
    joining = [body for body in bodies if body.i % 4 == 0]
    base_seats = prices.seats["desktop"] - prices.signed["desktop"]
    step = max(1, prices.signed["desktop"] // max(1, len(joining)))
    _insert(
        PriceSnapshot,
        (
            {
                "service_id": core.pk,
                "effective_at": now - dt.timedelta(hours=2, minutes=10 * (len(joining) - n)),
                "framework_seats": (seats := base_seats + step * (n + 1)),
                "unit_price": scheme.unit_price(seats),
                "reason": f"{orgs[body.i]['name']} joined"[:200],
                "caused_by_id": orgs[body.i]["id"],
            }
            for n, body in enumerate(joining)
        ),
    )


def _downloads(
    bodies: list[Body], platform: dict[int, dict], users: dict, *, seed: int, now: dt.datetime
) -> None:
    """Five downloads for each organisation: summaries of its contract, and filtered lists."""
    officers = users["procurement"]

    def rows() -> Iterator[dict]:
        for body in bodies:
            contract = platform.get(body.i)
            for k in range(5):
                h = _mix(seed, body.i, 20 + k)
                row = {
                    "user_id": officers[h % len(officers)],
                    "at": now - dt.timedelta(minutes=h % 525_600),
                }
                if k < 2 and contract is not None:
                    yield {**row, "kind": DownloadKind.PDF, "contract_id": contract["id"]}
                else:
                    yield {
                        **row,
                        "kind": DownloadKind.CSV if k % 2 else DownloadKind.XLSX,
                        "filters": {"status": "active", "kind": "platform"} if h % 2 else {},
                        "rows": 1 + h % 50_000,
                    }

    _insert(ContractDownload, rows())


def _rollouts(
    bodies: list[Body], orgs: dict[int, dict], platform: dict[int, dict], *, seed: int
) -> None:
    """A rollout plan for every twentieth member's platform contract: three waves (done, in
    progress or blocked, planned) and two milestones."""
    specs = [(body, platform[body.i]) for body in bodies if body.rollout]
    after = _last_pk(RolloutPlan)
    _insert(
        RolloutPlan,
        (
            {"contract_id": contract["id"], "name": f"{orgs[body.i]['name']} rollout"[:200]}
            for body, contract in specs
        ),
    )
    plans = _ids(RolloutPlan, "contract_id", after_pk=after)
    waves = []
    milestones = []
    for body, contract in specs:
        plan = plans[contract["id"]]
        start = contract["start_date"]
        shares = (body.desktops // 5, body.desktops // 2)
        seats = (max(1, shares[0]), max(1, shares[1]), max(1, body.desktops - sum(shares)))
        blocked = _mix(seed, body.i, 30) % 7 == 0
        for order, (name, wave_seats) in enumerate(
            zip(("Pilot", "Wave 1", "Wave 2"), seats, strict=True)
        ):
            planned_start = start + dt.timedelta(days=60 * order)
            planned_end = planned_start + dt.timedelta(days=45)
            if order == 0:
                status, actual = WaveStatus.DONE, (planned_start, planned_end)
            elif order == 1:
                status = WaveStatus.BLOCKED if blocked else WaveStatus.IN_PROGRESS
                actual = (planned_start, None)
            else:
                status, actual = WaveStatus.PLANNED, (None, None)
            waves.append(
                {
                    "plan_id": plan,
                    "order": order + 1,
                    "name": name,
                    "site": f"Site {order + 1}",
                    "seats": wave_seats,
                    "planned_start": planned_start,
                    "planned_end": planned_end,
                    "actual_start": actual[0],
                    "actual_end": actual[1],
                    "status": status,
                    "blocked_reason": "Waiting for a network upgrade."
                    if status == WaveStatus.BLOCKED
                    else "",
                }
            )
        milestones += [
            {
                "plan_id": plan,
                "name": "Design sign-off",
                "due_on": start,
                "completed_on": start - dt.timedelta(days=3),
            },
            {
                "plan_id": plan,
                "name": "Migration complete",
                "due_on": start + dt.timedelta(days=165),
            },
        ]
    _insert(Wave, waves)
    _insert(Milestone, milestones)
