"""factory-boy factories for every model; tests build exactly the data they need."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Role, User
from applications.models import (
    ApplicationEvent,
    ApplicationLine,
    ApplicationStatus,
    SignUpApplication,
)
from catalogue.models import Category, PriceBand, PriceSnapshot, PricingScheme, Service, ServiceKind
from contracts.models import Contract, ContractKind, ContractLine, ContractStatus
from organisations.models import MembershipStatus, Organisation, OrganisationKind
from rollout.models import (
    Milestone,
    RolloutPlan,
    RolloutTemplate,
    TemplateMilestone,
    TemplatePhase,
    Wave,
    WaveStatus,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.MINISTERIAL
    staff = 1000
    desktops = 1000
    membership_status = MembershipStatus.PROSPECTIVE

    class Params:
        member = factory.Trait(
            membership_status=MembershipStatus.ACTIVE, joined_on=dt.date(2026, 1, 1)
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        _add_role(self, create, extracted)


def _add_role(user: User, create: bool, role: str | None) -> None:
    if create and role:
        user.groups.add(Group.objects.get_or_create(name=Role(role).value)[0])


class CIOFactory(UserFactory):
    organisation = factory.SubFactory(OrganisationFactory, member=True)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        _add_role(self, create, extracted or Role.CIO)


class ApproverFactory(UserFactory):
    organisation = factory.LazyFunction(
        lambda: OrganisationFactory(slug="cabinet-office", name="Cabinet Office", member=True)
    )

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        _add_role(self, create, extracted or Role.APPROVER)


class ProcurementOfficerFactory(UserFactory):
    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        _add_role(self, create, extracted or Role.PROCUREMENT)


class ServiceFactory(factory.django.DjangoModelFactory):
    """A flat-priced service by default; use `VolumeServiceFactory`/`CostShareServiceFactory`."""

    class Meta:
        model = Service
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    kind = ServiceKind.EXTRA
    category = Category.INFRASTRUCTURE
    description = "A service."
    pricing_scheme = PricingScheme.FLAT
    unit_price = Decimal("100.00")
    current_unit_price = factory.LazyAttribute(lambda s: s.unit_price)


class CostShareServiceFactory(ServiceFactory):
    kind = ServiceKind.CORE
    pricing_scheme = PricingScheme.COST_SHARE
    unit_price = None
    fixed_annual_cost = Decimal("1000000.00")
    marginal_cost = Decimal("500.00")
    floor = Decimal("600.00")
    current_unit_price = None


class VolumeServiceFactory(ServiceFactory):
    """Bands: up to 1,000 seats £100.00; up to 5,000 £80.00; beyond £60.00."""

    class Meta:
        skip_postgeneration_save = True

    pricing_scheme = PricingScheme.VOLUME
    unit_price = None
    current_unit_price = None

    @factory.post_generation
    def bands(self, create, extracted, **kwargs):
        if not create:
            return
        for up_to, price in extracted or [(1000, "100.00"), (5000, "80.00"), (None, "60.00")]:
            PriceBand.objects.create(service=self, up_to=up_to, unit_price=Decimal(price))


class PriceSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceSnapshot

    service = factory.SubFactory(ServiceFactory)
    effective_at = factory.LazyFunction(timezone.now)
    framework_seats = 1000
    unit_price = Decimal("100.00")
    reason = "Test"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"CON-TEST-{n:04d}")
    organisation = factory.SubFactory(OrganisationFactory, member=True)
    kind = ContractKind.PLATFORM
    status = ContractStatus.ACTIVE
    signed_on = dt.date(2026, 1, 15)
    start_date = dt.date(2026, 2, 1)
    term_years = 5
    previous_cost_per_seat = Decimal("2000.00")
    # An ended contract has the day it ended (the contract_ended_has_date constraint).
    ended_on = factory.LazyAttribute(
        lambda contract: contract.start_date if contract.status == ContractStatus.ENDED else None
    )


class ContractLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractLine

    contract = factory.SubFactory(ContractFactory)
    service = factory.SubFactory(ServiceFactory)
    seats = 100
    unit_price_at_signing = Decimal("100.00")
    current_unit_price = Decimal("100.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The contract's stored annual value follows its lines, as contracts.services keeps it.
        from contracts.services import contract_annual_values_refresh

        line = super()._create(model_class, *args, **kwargs)
        contract_annual_values_refresh(contracts=Contract.objects.filter(pk=line.contract_id))
        return line


class SignUpApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignUpApplication

    reference = factory.Sequence(lambda n: f"FLEX-2026-{n + 100:04d}")
    organisation = factory.SubFactory(OrganisationFactory)
    status = ApplicationStatus.DRAFT
    term_years = 5
    requested_start = dt.date(2027, 4, 1)
    current_cost_per_seat = Decimal("2400.00")
    created_by = factory.SubFactory(
        CIOFactory, organisation=factory.SelfAttribute("..organisation")
    )

    class Params:
        submitted = factory.Trait(
            status=ApplicationStatus.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )


class ApplicationLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationLine

    application = factory.SubFactory(SignUpApplicationFactory)
    service = factory.SubFactory(ServiceFactory)
    seats = 500


class ApplicationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationEvent

    application = factory.SubFactory(SignUpApplicationFactory)
    at = factory.LazyFunction(timezone.now)
    actor = factory.SelfAttribute("application.created_by")
    action = "created"


class RolloutPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RolloutPlan

    contract = factory.SubFactory(ContractFactory)
    name = factory.LazyAttribute(lambda p: f"Rollout of {p.contract.reference}")


class WaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wave

    plan = factory.SubFactory(RolloutPlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Wave {n + 1}")
    site = "London"
    seats = 10
    planned_start = dt.date(2026, 3, 1)
    planned_end = dt.date(2026, 3, 31)
    status = WaveStatus.PLANNED


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    plan = factory.SubFactory(RolloutPlanFactory)
    name = "Pilot"
    due_on = dt.date(2026, 3, 1)


class RolloutTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RolloutTemplate

    name = factory.Sequence(lambda n: f"Template {n}")


class TemplatePhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplatePhase

    template = factory.SubFactory(RolloutTemplateFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Phase {n + 1}")
    offset_days = 0
    duration_days = 30
    seat_share = Decimal("0.5")


class TemplateMilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateMilestone

    template = factory.SubFactory(RolloutTemplateFactory)
    name = "Design sign-off"
    offset_days = 0
