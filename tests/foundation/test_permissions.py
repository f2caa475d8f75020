"""accounts.permissions: each role against its own and another organisation's records."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import permissions
from organisations.selectors import scope_organisations
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own = factories.OrganisationFactory(member=True)
    other = factories.OrganisationFactory(member=True)
    cabinet_office = factories.OrganisationFactory(
        slug="cabinet-office", name="Cabinet Office", member=True
    )
    return {
        "own": own,
        "other": other,
        "cabinet_office": cabinet_office,
        "cio": factories.CIOFactory(organisation=own),
        "approver": factories.ApproverFactory(organisation=cabinet_office),
        "procurement": factories.ProcurementOfficerFactory(),
        "plain": factories.UserFactory(),
        "anonymous": AnonymousUser(),
        "superuser": factories.UserFactory(is_superuser=True),
    }


def records(org):
    contract = factories.ContractFactory(organisation=org)
    return {
        "application": factories.SignUpApplicationFactory(organisation=org),
        "contract": contract,
        "plan": factories.RolloutPlanFactory(contract=contract),
    }


# role -> (own organisation's records, another organisation's records): what it may see.
SEE = {
    "cio": (True, False),
    "approver": (True, True),
    "procurement": (True, True),
    "plain": (False, False),
    "anonymous": (False, False),
}


@pytest.mark.parametrize("role", list(SEE))
def test_who_sees_applications_contracts_and_rollouts(world, role):
    user = world[role]
    mine, theirs = records(world["own"]), records(world["other"])
    sees_own, sees_other = SEE[role]
    assert permissions.can_see_contract(user, mine["contract"]) is sees_own
    assert permissions.can_see_contract(user, theirs["contract"]) is sees_other
    assert permissions.can_see_rollout(user, mine["plan"]) is sees_own
    assert permissions.can_see_rollout(user, theirs["plan"]) is sees_other
    # Procurement officers read every application too (issue 15's audit), deciding none.
    assert permissions.can_see_application(user, mine["application"]) is sees_own
    assert permissions.can_see_application(user, theirs["application"]) is sees_other


def test_only_the_applicant_cio_submits_or_withdraws(world):
    mine, theirs = records(world["own"]), records(world["other"])
    assert permissions.can_edit_application(world["cio"], mine["application"])
    assert not permissions.can_edit_application(world["cio"], theirs["application"])
    for role in ("approver", "procurement", "plain", "anonymous"):
        assert not permissions.can_edit_application(world[role], mine["application"]), role


def test_approvers_decide_others_applications_never_their_own(world):
    theirs = records(world["other"])
    own_application = factories.SignUpApplicationFactory(organisation=world["cabinet_office"])
    assert permissions.can_decide_application(world["approver"], theirs["application"])
    assert not permissions.can_decide_application(world["approver"], own_application)
    for role in ("cio", "procurement", "plain", "anonymous"):
        assert not permissions.can_decide_application(world[role], theirs["application"]), role


def test_rollouts_are_edited_by_the_owning_cio_and_cabinet_office(world):
    mine, theirs = records(world["own"]), records(world["other"])
    assert permissions.can_edit_rollout(world["cio"], mine["plan"])
    assert not permissions.can_edit_rollout(world["cio"], theirs["plan"])
    assert permissions.can_edit_rollout(world["approver"], theirs["plan"])
    assert not permissions.can_edit_rollout(world["procurement"], mine["plan"])


def test_scoped_querysets_match_the_object_checks(world):
    from applications.models import SignUpApplication
    from contracts.models import Contract
    from rollout.models import RolloutPlan

    mine = records(world["own"])
    records(world["other"])  # must stay invisible to the CIO
    cio = world["cio"]
    assert list(permissions.scope_contracts(cio, Contract.objects.all())) == [mine["contract"]]
    assert list(permissions.scope_applications(cio, SignUpApplication.objects.all())) == [
        mine["application"]
    ]
    assert list(permissions.scope_rollouts(cio, RolloutPlan.objects.all())) == [mine["plan"]]
    assert permissions.scope_contracts(world["procurement"], Contract.objects.all()).count() == 2
    assert permissions.scope_contracts(world["plain"], Contract.objects.all()).count() == 0
    assert (
        permissions.scope_applications(world["approver"], SignUpApplication.objects.all()).count()
        == 2
    )
    assert (
        permissions.scope_applications(
            world["procurement"], SignUpApplication.objects.all()
        ).count()
        == 2
    )


def test_catalogue_and_templates_are_run_by_cabinet_office(world):
    assert permissions.can_manage_catalogue(world["approver"])
    assert permissions.can_manage_catalogue(world["superuser"])
    assert permissions.can_manage_templates(world["approver"])
    for role in ("cio", "procurement", "plain", "anonymous"):
        assert not permissions.can_manage_catalogue(world[role]), role
        assert not permissions.can_manage_templates(world[role]), role


def test_download_log_is_for_cabinet_office_only(world):
    assert permissions.can_see_download_log(world["approver"])
    for role in ("cio", "procurement", "plain", "anonymous"):
        assert not permissions.can_see_download_log(world[role]), role


def test_a_cio_without_an_organisation_is_not_a_cio():
    user = factories.UserFactory(role="CIO")
    assert not permissions.is_cio(user)
    assert not permissions.can_apply(user)


def test_prospective_organisations_are_hidden_from_other_cios(world):
    from organisations.models import Organisation

    applicant = factories.OrganisationFactory()  # prospective
    visible_to_cio = scope_organisations(world["cio"], Organisation.objects.all())
    assert applicant not in visible_to_cio
    assert world["other"] in visible_to_cio
    applicant_cio = factories.CIOFactory(organisation=applicant)
    assert applicant in scope_organisations(applicant_cio, Organisation.objects.all())
    assert applicant in scope_organisations(world["approver"], Organisation.objects.all())
