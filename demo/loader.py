"""The demo data of docs/interface.md ("Demo data"), loaded by `manage.py load_flex_demo`.

Every row is written through the owning app's services, as the portal itself writes them.
Idempotent: objects are found by their natural keys, and a member's contract (with the
repricing its signing caused) is created only when it does not exist yet, so a second run
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role, User
from applications import changes as change_services
from applications import services as application_services
from applications.models import SignUpApplication
from catalogue import pricing, schemes
from catalogue import services as catalogue_services
from catalogue.models import Category, PricingScheme, Service, ServiceKind
from catalogue.selectors import active_services_by_slug
from contracts import services as contract_services
from contracts.models import Contract, ContractKind, ContractStatus
from core.history import history_context
from organisations import services as organisation_services
from organisations.models import MembershipStatus, Organisation, OrganisationKind
from repricing import services as repricing_services

from .rollout import load_rollout_demo

DEMO_PASSWORD = "flex-demo-password"  # local demo only: refused when DEBUG is off


ORGANISATIONS = [
    # slug, name, short name, kind, staff, desktops, status
    (
        "cabinet-office",
        "Cabinet Office",
        "Cabinet Office",
        OrganisationKind.MINISTERIAL,
        2500,
        2500,
        MembershipStatus.ACTIVE,
    ),
    (
        "dti",
        "Department of Trade and Industry",
        "DTI",
        OrganisationKind.MINISTERIAL,
        4000,
        None,
        MembershipStatus.DISSOLVED,
    ),
    (
        "dfes",
        "Department for Education and Skills",
        "DfES",
        OrganisationKind.MINISTERIAL,
        4500,
        None,
        MembershipStatus.DISSOLVED,
    ),
    (
        "dius",
        "Department for Innovation, Universities and Skills",
        "DIUS",
        OrganisationKind.MINISTERIAL,
        1000,
        1000,
        MembershipStatus.ACTIVE,
    ),
    (
        "ons",
        "Office for National Statistics",
        "ONS",
        OrganisationKind.NON_MINISTERIAL,
        3500,
        600,
        MembershipStatus.ACTIVE,
    ),
    (
        "agency",
        "Government Skills Agency",
        "GSA",
        OrganisationKind.AGENCY,
        2000,
        2000,
        MembershipStatus.PROSPECTIVE,
    ),
]

SERVICES = [
    {
        "slug": "desktop",
        "name": "Standard desktop",
        "kind": ServiceKind.CORE,
        "category": Category.INFRASTRUCTURE,
        "description": "A managed, secure desktop for each member of staff: hardware, operating system, office software, service desk and support.",
        "included": "Desktop or laptop hardware, refreshed every four years\nWindows and office software\nService desk, 8am to 6pm on working days\nSecurity patching and antivirus\nFile storage and backup",
        "pricing_scheme": PricingScheme.COST_SHARE,
        "fixed_annual_cost": Decimal("5300000.00"),
        "marginal_cost": Decimal("850.00"),
        "floor": Decimal("900.00"),
    },
    {
        "slug": "wireless",
        "name": "Wireless access",
        "kind": ServiceKind.EXTRA,
        "category": Category.INFRASTRUCTURE,
        "description": "Secure wireless networking across your buildings, managed with the desktop service.",
        "included": "Site survey and installation\nSecure staff and guest networks\nMonitoring and support",
        "pricing_scheme": PricingScheme.VOLUME,
        "bands": [(1000, "120.00"), (5000, "95.00"), (20000, "80.00"), (None, "70.00")],
    },
    {
        "slug": "collaboration",
        "name": "Real-time collaboration",
        "kind": ServiceKind.EXTRA,
        "category": Category.COLLABORATION,
        "description": "Instant messaging, presence, audio and video conferencing and shared workspaces.",
        "included": "Instant messaging and presence\nAudio and video calls\nShared team workspaces",
        "pricing_scheme": PricingScheme.VOLUME,
        "bands": [(2000, "150.00"), (10000, "125.00"), (None, "100.00")],
    },
    {
        "slug": "hr-systems",
        "name": "Human resources systems",
        "kind": ServiceKind.EXTRA,
        "category": Category.BUSINESS_APPLICATIONS,
        "description": "A shared human resources system: staff records, absence, pay and performance.",
        "included": "Staff records\nAbsence and leave\nInterface to payroll\nReporting",
        "pricing_scheme": PricingScheme.COST_SHARE,
        "fixed_annual_cost": Decimal("600000.00"),
        "marginal_cost": Decimal("40.00"),
        "floor": Decimal("60.00"),
    },
    {
        "slug": "email",
        "name": "Email integration",
        "kind": ServiceKind.EXTRA,
        "category": Category.INTEGRATION,
        "description": "Bring staff from several organisations onto one email system with a shared address book.",
        "included": "Mailbox migration\nShared address book\nSpam and malware filtering",
        "pricing_scheme": PricingScheme.VOLUME,
        "bands": [(5000, "60.00"), (None, "48.00")],
    },
    {
        "slug": "intranet",
        "name": "Intranet integration",
        "kind": ServiceKind.EXTRA,
        "category": Category.INTEGRATION,
        "description": "One intranet for the whole organisation, with content moved across from predecessor sites.",
        "included": "Hosted intranet\nContent migration\nSearch",
        "pricing_scheme": PricingScheme.FLAT,
        "unit_price": Decimal("25.00"),
    },
    {
        "slug": "staff-directory",
        "name": "Staff directory integration",
        "kind": ServiceKind.EXTRA,
        "category": Category.INTEGRATION,
        "description": "A single staff directory that joins up the directories of merged organisations.",
        "included": "Directory merge\nSingle sign-on accounts\nSelf-service updates",
        "pricing_scheme": PricingScheme.FLAT,
        "unit_price": Decimal("12.00"),
    },
]


@dataclass(frozen=True)
class DemoContract:
    organisation: str
    kind: str
    signed_on: dt.date
    start_date: dt.date
    term_years: int
    previous_cost_per_seat: Decimal | None
    lines: tuple[tuple[str, int], ...]
    reason: str


# In signing order: each signing lowered the framework price for every member before it.
CONTRACTS = [
    DemoContract(
        "cabinet-office",
        ContractKind.PLATFORM,
        dt.date(2026, 2, 16),
        dt.date(2026, 4, 1),
        5,
        Decimal("3300.00"),
        (
            ("desktop", 2500),
            ("email", 2500),
            ("intranet", 2500),
            ("hr-systems", 2500),
            ("wireless", 800),
        ),
        "Cabinet Office joined",
    ),
    DemoContract(
        "ons",
        ContractKind.PLATFORM,
        dt.date(2026, 9, 14),
        dt.date(2026, 10, 1),
        3,
        Decimal("2800.00"),
        (("desktop", 600), ("wireless", 300)),
        "ONS joined",
    ),
    DemoContract(
        "dius",
        ContractKind.INTEGRATION,
        dt.date(2026, 10, 5),
        dt.date(2026, 10, 12),
        1,
        None,
        (("email", 1000), ("intranet", 1000), ("staff-directory", 1000)),
        "DIUS joined (integration)",
    ),
    DemoContract(
        "dius",
        ContractKind.PLATFORM,
        dt.date(2026, 11, 16),
        dt.date(2027, 6, 1),
        7,
        Decimal("2850.00"),
        (("desktop", 1000), ("wireless", 400), ("collaboration", 1000)),
        "DIUS joined",
    ),
]

USERS = [
    # username, organisation slug, group, superuser
    ("cio-dius", "dius", Role.CIO, False),
    ("cio-ons", "ons", Role.CIO, False),
    ("cio-agency", "agency", Role.CIO, False),
    ("approver", "cabinet-office", Role.APPROVER, False),
    ("procurement", None, Role.PROCUREMENT, False),
    ("admin", None, None, True),
]


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _scheme(spec: dict) -> pricing.Scheme:
    bands = tuple(
        pricing.Band(up_to=up_to, unit_price=Decimal(price))
        for up_to, price in spec.get("bands", ())
    )
    return schemes.scheme_from(spec, bands=bands)


def load_organisations() -> dict[str, Organisation]:
    organisations = {
        slug: organisation_services.organisation_record(
            slug=slug,
            name=name,
            short_name=short,
            kind=kind,
            staff=staff,
            desktops=desktops,
            # Members become members when their contracts are signed (load_contracts).
            membership_status=MembershipStatus.PROSPECTIVE
            if status == MembershipStatus.ACTIVE
            else status,
        )
        for slug, name, short, kind, staff, desktops, status in ORGANISATIONS
    }
    organisation_services.organisation_predecessors_add(
        organisation=organisations["dius"],
        predecessors=[organisations["dti"], organisations["dfes"]],
    )
    return organisations


def load_services() -> dict[str, Service]:
    existing = {service.slug: service for service in Service.objects.all()}
    for spec in SERVICES:
        if spec["slug"] in existing:
            continue
        details = {
            key: spec[key]
            for key in ("slug", "name", "kind", "category", "description", "included")
        }
        # Not `repricing.services.service_add`: the first contract's repricing prices them all.
        existing[spec["slug"]] = catalogue_services.service_create(scheme=_scheme(spec), **details)
    return existing


def load_contracts(organisations: dict[str, Organisation]) -> None:
    for spec in CONTRACTS:
        organisation = organisations[spec.organisation]
        if Contract.objects.filter(
            organisation=organisation, kind=spec.kind, signed_on=spec.signed_on
        ).exists():
            continue
        signed_at = _aware(spec.signed_on)
        services = active_services_by_slug()
        contract_services.contract_create(
            organisation=organisation,
            kind=spec.kind,
            lines=[
                contract_services.LineInput(service=services[slug], seats=seats)
                for slug, seats in spec.lines
            ],
            signed_on=spec.signed_on,
            start_date=spec.start_date,
            term_years=spec.term_years,
            previous_cost_per_seat=spec.previous_cost_per_seat,
        )
        organisation_services.organisation_membership_start(
            organisation=organisation_services.organisation_lock(organisation_id=organisation.pk),
            on=spec.signed_on,
        )
        repricing_services.repricing_request(
            reason=spec.reason, caused_by=organisation, requested_at=signed_at
        )
        # Run now, dated at the signing, so the price history tells the story in order.
        repricing_services.framework_reprice(at=signed_at)


def load_users(organisations: dict[str, Organisation], *, with_users: bool) -> dict[str, User]:
    account_services.role_groups_ensure()
    if not with_users:
        return {}
    return {
        username: account_services.user_ensure(
            username=username,
            email=f"{username}@example.gov.uk",
            password=DEMO_PASSWORD,
            organisation=organisations.get(org_slug) if org_slug else None,
            role=role,
            is_superuser=superuser,
            is_staff=superuser or role == Role.APPROVER,
        )
        for username, org_slug, role, superuser in USERS
    }


def load_agency_application(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    """The 2,000-strong agency's submitted, undecided application, sent 12 days ago."""
    agency = organisations["agency"]
    if SignUpApplication.objects.filter(organisation=agency).exists() or "cio-agency" not in users:
        return
    cio = users["cio-agency"]
    submitted = timezone.now() - dt.timedelta(days=12)
    services = active_services_by_slug()
    today = timezone.localdate()
    application = application_services.application_create(
        actor=cio,
        lines=[
            application_services.LineInput(service=services[slug], seats=2000)
            for slug in ("desktop", "email", "hr-systems")
        ],
        term_years=5,
        # April 2027, or the first of the month four months on once that has passed.
        requested_start=max(dt.date(2027, 4, 1), _first_of_month_after(today, months=4)),
        current_cost_per_seat=Decimal("2400.00"),
        at=submitted - dt.timedelta(hours=1),
    )
    application_services.application_submit(application=application, actor=cio, at=submitted)


def load_ons_change_request(users: dict[str, User]) -> None:
    """ONS's waiting request to add 600 real-time collaboration seats, sent 3 days ago, so the
    approver's queue holds both kinds of request."""
    ons = Contract.objects.filter(
        organisation__slug="ons", kind=ContractKind.PLATFORM, status=ContractStatus.ACTIVE
    ).first()
    if ons is None or "cio-ons" not in users or ons.change_requests.exists():
        return
    change_services.change_request_create(
        actor=users["cio-ons"],
        contract=ons,
        seats_after=[change_services.SeatsAfter(active_services_by_slug()["collaboration"], 600)],
        at=timezone.now() - dt.timedelta(days=3),
    )


def _first_of_month_after(day: dt.date, *, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


@transaction.atomic
def load_flex_demo(*, with_users: bool) -> None:
    with history_context(reason="Demo data loaded", source="demo loader"):
        organisations = load_organisations()
        load_services()
        load_contracts(organisations)
        users = load_users(organisations, with_users=with_users)
        load_agency_application(organisations, users)
        load_ons_change_request(users)
        load_rollout_demo()
