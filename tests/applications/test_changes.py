"""Change requests move every member's price: a member adds extras, removes them or changes
seats; approval changes its contract's lines and one repricing names the change. Figures are
worked out by hand from the demo's schemes (desktop: cost share 5,300,000 / seats + 850;
human resources systems: 600,000 / seats + 40; wireless: volume bands)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F

from accounts.models import Role
from accounts.services import user_ensure
from applications import changes, lifecycle, selectors
from applications.models import ChangeRequest, ChangeStatus
from applications.services import TransitionNotAllowed
from catalogue import pricing
from catalogue.models import PriceSnapshot, Service
from catalogue.selectors import scheme_for
from contracts.models import Contract, ContractLine, ContractStatus
from contracts.selectors import framework_seats_by_service
from contracts.services import ContractNotActive
from repricing.services import service_scheme_change

pytestmark = pytest.mark.django_db

D = Decimal


def service(slug: str) -> Service:
    return Service.objects.prefetch_related("bands").get(slug=slug)


def platform(slug: str) -> Contract:
    return Contract.objects.get(organisation__slug=slug, kind="platform")


def seats(contract: Contract) -> dict[str, int]:
    return dict(contract.lines.values_list("service__slug", "seats"))


def ask(cio, contract: Contract, **after: int) -> ChangeRequest:
    return changes.change_request_create(
        actor=cio,
        contract=contract,
        seats_after=[
            changes.SeatsAfter(service(slug.replace("_", "-")), n) for slug, n in after.items()
        ],
    )


def assert_prices_recomputed_from_scratch() -> None:
    """Every service's price is its scheme at the committed seats, and every active line
    pays it: what a repricing from nothing would give."""
    committed = framework_seats_by_service()
    for s in Service.objects.prefetch_related("bands"):
        framework = committed.get(s.pk, 0)
        assert (s.framework_seats, s.current_unit_price) == (
            framework,
            scheme_for(s).unit_price(framework),
        ), s.slug
    stale = ContractLine.objects.filter(contract__status=ContractStatus.ACTIVE).exclude(
        current_unit_price=F("service__current_unit_price")
    )
    assert not stale.exists()


@pytest.fixture
def open_ons_change():
    """The demo's pending ONS change (adding collaboration) withdrawn, so each test starts
    from contracts with no open request."""

    def clear(world) -> None:
        for change_request in ChangeRequest.objects.filter(status=ChangeStatus.SUBMITTED):
            changes.change_request_withdraw(
                change_request=change_request, actor=world["cio_ons"], reason="Test set-up"
            )

    return clear


def test_dius_adding_wireless_lowers_everyones_wireless_price(
    world, open_ons_change, django_capture_on_commit_callbacks
):
    open_ons_change(world)
    # Bands such that the framework's 1,500 wireless seats (Cabinet Office 800, ONS 300, DIUS
    # 400) pay £120.00 and 2,001 or more pay £95.00.
    with django_capture_on_commit_callbacks(execute=True):
        service_scheme_change(
            service=service("wireless"),
            scheme=pricing.VolumeScheme(
                (pricing.Band(2000, D("120.00")), pricing.Band(None, D("95.00")))
            ),
        )
    assert service("wireless").current_unit_price == D("120.00")

    dius = platform("dius")
    request = ask(world["cio_dius"], dius, wireless=1000)
    preview = selectors.change_request_preview(request)
    (row,) = preview.impact
    # 600 more seats: 2,100 on the framework, the £95.00 band; 25 x 1,500 seats a year.
    assert (row.seats, row.framework_seats_now, row.unit_price_now, row.unit_price_after) == (
        600,
        1500,
        D("120.00"),
        D("95.00"),
    )
    assert row.members_saving_per_year == D("37500.00")
    assert not preview.any_rise

    with django_capture_on_commit_callbacks(execute=True):
        changes.change_request_approve(
            change_request=request, actor=world["approver"], note="Agreed at board"
        )

    request.refresh_from_db()
    assert (request.status, request.decided_by, request.reason) == (
        ChangeStatus.APPROVED,
        world["approver"],
        "Agreed at board",
    )
    assert seats(dius)["wireless"] == 1000
    wireless = service("wireless")
    assert (wireless.framework_seats, wireless.current_unit_price) == (2100, D("95.00"))
    assert set(
        ContractLine.objects.filter(service=wireless).values_list("current_unit_price", flat=True)
    ) == {D("95.00")}
    snapshot = PriceSnapshot.objects.filter(service=wireless).latest()
    assert (snapshot.reason, snapshot.caused_by.slug) == (
        "DIUS added 600 wireless access seats",
        "dius",
    )
    # The changed line keeps its price at signing; the change is on the timeline.
    line = dius.lines.get(service__slug="wireless")
    assert line.unit_price_at_signing == D("95.00")
    event = dius.events.order_by("at", "pk").last()
    assert (event.kind, event.actor.username) == ("changed", "approver")
    assert event.detail == (
        f"Change {request.reference} approved. Wireless access: 400 to 1,000 seats."
    )
    assert {"service": "wireless", "seats": 1000, "unit_price_at_signing": "95.00"} in event.lines
    assert list(request.events.values_list("action", flat=True)) == ["submitted", "approved"]
    assert_prices_recomputed_from_scratch()


def test_a_new_extra_is_priced_at_what_the_approval_makes(
    world, open_ons_change, django_capture_on_commit_callbacks
):
    open_ons_change(world)
    dius = platform("dius")
    # Human resources systems: Cabinet Office's 2,500 seats pay 600,000 / 2,500 + 40 = 280.00;
    # with DIUS's 1,000, 600,000 / 3,500 + 40 = 211.4285... -> 211.43 for everyone.
    request = ask(world["cio_dius"], dius, hr_systems=1000, collaboration=800)
    with django_capture_on_commit_callbacks(execute=True):
        changes.change_request_approve(change_request=request, actor=world["approver"])
    line = dius.lines.get(service__slug="hr-systems")
    assert (line.seats, line.unit_price_at_signing, line.current_unit_price) == (
        1000,
        D("211.43"),
        D("211.43"),
    )
    assert service("hr-systems").current_unit_price == D("211.43")
    assert seats(dius) == {
        "desktop": 1000,
        "wireless": 400,
        "collaboration": 800,
        "hr-systems": 1000,
    }
    assert PriceSnapshot.objects.filter(service__slug="hr-systems").latest().reason == (
        "DIUS added 1,000 human resources systems seats and removed 200 real-time "
        "collaboration seats"
    )
    assert_prices_recomputed_from_scratch()


def test_fewer_seats_raise_the_price_for_everyone_and_the_preview_says_so(
    world, open_ons_change, django_capture_on_commit_callbacks
):
    open_ons_change(world)
    ons = platform("ons")
    request = ask(world["cio_ons"], ons, desktop=400)
    preview = selectors.change_request_preview(request)
    (row,) = preview.impact
    # 4,100 desktops -> 3,900: 5,300,000 / 3,900 + 850 = 2,208.97 (from 2,142.68).
    assert (row.unit_price_now, row.unit_price_after, row.rises) == (
        D("2142.68"),
        D("2208.97"),
        True,
    )
    assert preview.any_rise
    # ONS pays 400 x 2,208.97 + 300 x 95.00 a year afterwards (from 600 x 2,142.68 + 28,500).
    assert preview.figures_before.annual_value == D("1314108.00")
    assert preview.figures_after.annual_value == D("912088.00")
    assert preview.figures_after.total_value == D("912088.00") * 3

    with django_capture_on_commit_callbacks(execute=True):
        changes.change_request_approve(change_request=request, actor=world["approver"])
    assert service("desktop").current_unit_price == D("2208.97")
    line = ons.lines.get(service__slug="desktop")
    assert (line.seats, line.unit_price_at_signing, line.current_unit_price) == (
        400,
        D("2559.68"),
        D("2208.97"),
    )
    assert PriceSnapshot.objects.filter(service__slug="desktop").latest().reason == (
        "ONS removed 200 standard desktop seats"
    )
    assert_prices_recomputed_from_scratch()


def test_removing_an_extra_removes_its_line(
    world, open_ons_change, django_capture_on_commit_callbacks
):
    open_ons_change(world)
    ons = platform("ons")
    request = ask(world["cio_ons"], ons, wireless=0)
    with django_capture_on_commit_callbacks(execute=True):
        changes.change_request_approve(change_request=request, actor=world["approver"])
    assert seats(ons) == {"desktop": 600}
    wireless = service("wireless")
    assert (wireless.framework_seats, wireless.current_unit_price) == (1200, D("95.00"))
    snapshot = PriceSnapshot.objects.filter(service=wireless).latest()
    assert (snapshot.framework_seats, snapshot.reason) == (
        1200,
        "ONS removed wireless access (300 seats)",
    )
    assert_prices_recomputed_from_scratch()


def contracts_and_prices() -> tuple:
    return (
        list(ContractLine.objects.order_by("pk").values_list("seats", "current_unit_price")),
        list(Service.objects.order_by("pk").values_list("framework_seats", "current_unit_price")),
        PriceSnapshot.objects.count(),
    )


def test_rejection_and_withdrawal_change_no_contract(world, open_ons_change):
    open_ons_change(world)
    before = contracts_and_prices()
    dius = platform("dius")
    request = ask(world["cio_dius"], dius, wireless=1000)
    with pytest.raises(ValidationError) as refused:
        changes.change_request_reject(change_request=request, actor=world["approver"], reason=" ")
    assert refused.value.message_dict == {
        "reason": ["Enter the reason for rejecting the change request."]
    }
    changes.change_request_reject(
        change_request=request, actor=world["approver"], reason="Wireless survey first"
    )
    request.refresh_from_db()
    assert (request.status, request.reason) == ("rejected", "Wireless survey first")
    second = ask(world["cio_dius"], dius, wireless=900)
    changes.change_request_withdraw(change_request=second, actor=world["cio_dius"])
    assert ChangeRequest.objects.get(pk=second.pk).status == "withdrawn"
    assert contracts_and_prices() == before
    assert list(second.events.values_list("action", flat=True)) == ["submitted", "withdrawn"]


# --- refusals: a clear error, and nothing changed ------------------------------------------


@pytest.mark.parametrize(
    ("contract", "after", "message"),
    [
        (
            ("dius", "integration"),
            {"email": 0, "intranet": 0, "staff_directory": 0},
            changes.LEAVING,
        ),
        (
            ("ons", "platform"),
            {"desktop": 0},
            "A full platform contract keeps standard desktop: reduce its seats instead, or end "
            "the contract to leave Flex.",
        ),
        (
            ("ons", "platform"),
            {"wireless": 300},
            "Wireless access already has 300 seats on this contract: enter a different number, "
            "or leave it out.",
        ),
        (
            ("ons", "platform"),
            {"email": 0},
            "Email integration is not on this contract, so it cannot be removed.",
        ),
        (
            ("dius", "integration"),
            {"desktop": 100},
            "An integration call-off covers integration services only, so Standard desktop "
            "cannot be added to it. Add it to your full platform contract instead.",
        ),
        (("ons", "platform"), {}, "Enter the seats of at least one service to change."),
        (
            ("ons", "platform"),
            {"wireless": 1_000_001},
            "Seats must be between 0 and 1,000,000 for each service.",
        ),
    ],
)
def test_a_change_that_breaks_a_rule_is_refused(
    world, open_ons_change, unchanged, contract, after, message
):
    open_ons_change(world)
    organisation, kind = contract
    target = Contract.objects.get(organisation__slug=organisation, kind=kind)
    cio = world[f"cio_{organisation}"]
    with unchanged(), pytest.raises(ValidationError) as refused:
        ask(cio, target, **after)
    assert refused.value.message_dict == {"lines": [message]}


def test_duplicated_services_are_refused(world, open_ons_change, unchanged):
    open_ons_change(world)
    wireless = service("wireless")
    with unchanged(), pytest.raises(ValidationError) as refused:
        changes.change_request_create(
            actor=world["cio_ons"],
            contract=platform("ons"),
            seats_after=[changes.SeatsAfter(wireless, 400), changes.SeatsAfter(wireless, 500)],
        )
    assert refused.value.message_dict == {"lines": ["Enter each service only once."]}


def test_a_withdrawn_service_cannot_be_added(world, open_ons_change, unchanged):
    open_ons_change(world)
    Service.objects.filter(slug="collaboration").update(active=False)
    with unchanged(), pytest.raises(ValidationError) as refused:
        ask(world["cio_ons"], platform("ons"), collaboration=100)
    assert refused.value.message_dict == {
        "lines": [
            "Real-time collaboration is no longer offered: you can only reduce or remove its seats."
        ]
    }


def test_a_second_open_request_on_the_same_contract_is_refused(world, unchanged):
    # The demo's ONS request (adding collaboration) is still waiting.
    with unchanged(), pytest.raises(TransitionNotAllowed) as refused:
        ask(world["cio_ons"], platform("ons"), wireless=500)
    assert "already has a change waiting for a decision" in str(refused.value)


def test_another_organisations_cio_cannot_change_a_contract(world, unchanged):
    with unchanged(), pytest.raises(PermissionDenied):
        ask(world["cio_dius"], platform("ons"), wireless=500)
    with unchanged(), pytest.raises(PermissionDenied):
        ask(world["approver"], platform("ons"), wireless=500)


def test_an_ended_contract_cannot_change(world, open_ons_change, unchanged, frozen_now):
    open_ons_change(world)
    dius = Contract.objects.get(organisation__slug="dius", kind="integration")
    lifecycle.contract_leave(contract=dius, actor=world["cio_dius"], on=frozen_now.date())
    with unchanged(), pytest.raises(ContractNotActive):
        ask(world["cio_dius"], dius, email=1200)


def test_a_request_waiting_when_its_contract_ends_cannot_be_approved(
    world, open_ons_change, unchanged, frozen_now
):
    open_ons_change(world)
    dius = Contract.objects.get(organisation__slug="dius", kind="integration")
    request = ask(world["cio_dius"], dius, email=1200)
    lifecycle.contract_leave(contract=dius, actor=world["cio_dius"], on=frozen_now.date())
    with unchanged(), pytest.raises(ContractNotActive):
        changes.change_request_approve(change_request=request, actor=world["approver"])


def test_an_approver_cannot_decide_their_own_organisations_request(
    world, open_ons_change, unchanged
):
    open_ons_change(world)
    cabinet_office = platform("cabinet-office")
    cio = user_ensure(
        username="cio-cabinet-office",
        email="cio@cabinetoffice.example",
        password="a long test password 1",
        organisation=cabinet_office.organisation,
        role=Role.CIO,
    )
    request = ask(cio, cabinet_office, wireless=900)
    with unchanged(), pytest.raises(PermissionDenied) as refused:
        changes.change_request_approve(change_request=request, actor=world["approver"])
    assert "from your own organisation" in str(refused.value)
    with unchanged(), pytest.raises(PermissionDenied):
        changes.change_request_approve(change_request=request, actor=world["cio_dius"])


def test_a_decided_request_cannot_be_decided_again(
    world, open_ons_change, unchanged, django_capture_on_commit_callbacks
):
    open_ons_change(world)
    request = ask(world["cio_dius"], platform("dius"), wireless=500)
    with django_capture_on_commit_callbacks(execute=True):
        changes.change_request_approve(change_request=request, actor=world["approver"])
    for decide in (
        lambda: changes.change_request_approve(change_request=request, actor=world["approver"]),
        lambda: changes.change_request_reject(
            change_request=request, actor=world["approver"], reason="Late"
        ),
        lambda: changes.change_request_withdraw(change_request=request, actor=world["cio_dius"]),
    ):
        with unchanged(), pytest.raises(TransitionNotAllowed):
            decide()
