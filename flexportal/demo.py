"""The demo data of INTERFACE.md ("Demo data"), loaded by `manage.py load_flex_demo`.

Idempotent: objects are found by their natural keys, and a member's contract (with the
repricing its signing caused) is created only when it does not exist yet, so a second run
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from catalogue.caching import catalogue_changed
from catalogue.models import (
    Category,
    PriceBand,
    PricingScheme,
    RepricingRequest,
    Service,
    ServiceKind,
)
from catalogue.repricing import framework_reprice
from catalogue.selectors import scheme_for
from contracts.models import Contract, ContractKind, ContractLine, ContractStatus
from departments.models import (
    ApplicationEvent,
    ApplicationLine,
    ApplicationStatus,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    SignUpApplication,
)
from rollout.demo import load_rollout_demo

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
    reference: str
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
        "CON-2026-0001",
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
        "CON-2026-0002",
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
        "CON-2026-0003",
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
        "CON-2026-0004",
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


def load_organisations() -> dict[str, Organisation]:
    organisations = {}
    for slug, name, short, kind, staff, desktops, status in ORGANISATIONS:
        organisations[slug], _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "staff": staff,
                "desktops": desktops,
            },
            create_defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "staff": staff,
                "desktops": desktops,
                "membership_status": MembershipStatus.PROSPECTIVE
                if status == MembershipStatus.ACTIVE
                else status,
            },
        )
    organisations["dius"].predecessors.add(organisations["dti"], organisations["dfes"])
    return organisations


def load_services() -> dict[str, Service]:
    services = {}
    for spec in SERVICES:
        spec = dict(spec)
        bands = spec.pop("bands", None)
        service, created = Service.objects.get_or_create(slug=spec.pop("slug"), defaults=spec)
        if created and bands:
            PriceBand.objects.bulk_create(
                PriceBand(service=service, up_to=up_to, unit_price=Decimal(price))
                for up_to, price in bands
            )
        services[service.slug] = service
    # Written directly rather than through catalogue.services: tell cached pages all the same.
    catalogue_changed()
    return services


def load_contracts(organisations: dict[str, Organisation]) -> None:
    for spec in CONTRACTS:
        if Contract.objects.filter(reference=spec.reference).exists():
            continue
        organisation = organisations[spec.organisation]
        signed_at = _aware(spec.signed_on)
        contract = Contract.objects.create(
            reference=spec.reference,
            organisation=organisation,
            kind=spec.kind,
            status=ContractStatus.ACTIVE,
            signed_on=spec.signed_on,
            start_date=spec.start_date,
            term_years=spec.term_years,
            previous_cost_per_seat=spec.previous_cost_per_seat,
        )
        services = {s.slug: s for s in Service.objects.prefetch_related("bands")}
        for slug, seats in spec.lines:
            service = services[slug]
            price = scheme_for(service).unit_price(service.framework_seats + seats)
            ContractLine.objects.create(
                contract=contract,
                service=service,
                seats=seats,
                unit_price_at_signing=price,
                current_unit_price=price,
            )
        if organisation.membership_status != MembershipStatus.ACTIVE:
            organisation.membership_status = MembershipStatus.ACTIVE
            organisation.joined_on = spec.signed_on
            organisation.save(update_fields=["membership_status", "joined_on"])
        RepricingRequest.objects.create(
            requested_at=signed_at, reason=spec.reason, caused_by=organisation
        )
        framework_reprice(at=signed_at)


def load_users(organisations: dict[str, Organisation], *, with_users: bool) -> dict[str, object]:
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    users: dict[str, object] = {}
    if not with_users:
        return users
    User = get_user_model()
    for username, org_slug, role, superuser in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "organisation": organisations.get(org_slug) if org_slug else None,
                "email": f"{username}@example.gov.uk",
                "is_superuser": superuser,
                "is_staff": superuser or role == Role.APPROVER,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role is not None:
            user.groups.add(groups[role])
        users[username] = user
    return users


def load_agency_application(
    organisations: dict[str, Organisation], users: dict[str, object]
) -> None:
    """The 2,000-strong agency's submitted, undecided application."""
    agency = organisations["agency"]
    if SignUpApplication.objects.filter(organisation=agency).exists() or "cio-agency" not in users:
        return
    cio = users["cio-agency"]
    submitted = timezone.now() - dt.timedelta(days=12)
    application = SignUpApplication.objects.create(
        reference="FLEX-2026-0001",
        organisation=agency,
        status=ApplicationStatus.SUBMITTED,
        term_years=5,
        requested_start=dt.date(2027, 4, 1),
        current_cost_per_seat=Decimal("2400.00"),
        created_by=cio,
        submitted_at=submitted,
    )
    services = Service.objects.in_bulk(["desktop", "email", "hr-systems"], field_name="slug")
    ApplicationLine.objects.bulk_create(
        ApplicationLine(application=application, service=services[slug], seats=2000)
        for slug in ("desktop", "email", "hr-systems")
    )
    ApplicationEvent.objects.create(
        application=application, at=submitted - dt.timedelta(hours=1), actor=cio, action="created"
    )
    ApplicationEvent.objects.create(
        application=application, at=submitted, actor=cio, action="submitted"
    )


@transaction.atomic
def load_flex_demo(*, with_users: bool) -> None:
    organisations = load_organisations()
    load_services()
    load_contracts(organisations)
    users = load_users(organisations, with_users=with_users)
    load_agency_application(organisations, users)
    load_rollout_demo()
