"""The one place that answers "may this user see or act on this?", for pages and the API alike.

Rules (docs/interface.md, "Who sees what"): anyone signed in sees the catalogue and prices; a CIO
sees and acts on their own organisation's applications, contracts and rollouts only; approvers
see and decide all applications (never their own organisation's); procurement officers read all
contracts and downloads; Cabinet Office staff run the catalogue and see everything.

A CIO who applies for a new organisation stays in their own until the application is approved;
meanwhile they may see, submit and withdraw that one application as its creator (it is for an
organisation not yet a member, with nobody in it to act for it), and nobody else's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from .models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser

# organisations.models.MembershipStatus.PROSPECTIVE, by value: accounts sits below
# organisations (tests/applications/test_prospective_applicant.py keeps the two in step).
PROSPECTIVE = "prospective"


def remember_groups(user: User, names) -> None:
    """Keep the user's group names, read with the user (accounts/signed_in.py), on the object."""
    user._flex_group_names = frozenset(names)  # type: ignore[attr-defined]


def _groups(user: AnyUser) -> frozenset[str]:
    """Group names, fetched once per user object (a request reuses request.user)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_flex_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._flex_group_names = cached  # type: ignore[union-attr]
    return cached


def is_cio(user: AnyUser) -> bool:
    return Role.CIO.value in _groups(user) and user.organisation_id is not None  # type: ignore[union-attr]


def is_approver(user: AnyUser) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.APPROVER.value in _groups(user))


def is_procurement(user: AnyUser) -> bool:
    return Role.PROCUREMENT.value in _groups(user)


def is_cabinet_office(user: AnyUser) -> bool:
    """Cabinet Office staff: approvers and superusers run the framework."""
    return is_approver(user)


def page_identity(user: User) -> str:
    """Everything about a signed-in user that changes what a page shows them, for the keys of
    cached pages (core/pagecache.py): who they are, their roles and their organisation."""
    return "|".join(
        [
            str(user.pk),
            ",".join(sorted(_groups(user))),
            str(user.organisation_id),
            str(user.is_superuser),
            str(user.is_staff),
        ]
    )


def role_names(user: AnyUser) -> list[str]:
    names = []
    if user.is_authenticated and user.is_superuser:
        names.append("Administrator")
    names += [role.label for role in Role if role.value in _groups(user)]
    return names


# --- organisations -----------------------------------------------------------------------


def can_see_all_organisations_records(user: AnyUser) -> bool:
    """Cabinet Office staff and procurement see every organisation's contracts and rollouts."""
    return is_cabinet_office(user) or is_procurement(user)


def owns(user: AnyUser, organisation_id: int | None) -> bool:
    return (
        is_cio(user) and organisation_id is not None and user.organisation_id == organisation_id  # type: ignore[union-attr]
    )


# --- sign-up applications -----------------------------------------------------------------


def applied_for_prospective(user: AnyUser, organisation) -> bool:
    """`user` applies for `organisation` from outside it: a new organisation, not yet a member,
    that they described (their account moves to it when the application is approved)."""
    return (
        organisation.membership_status == PROSPECTIVE and user.organisation_id != organisation.pk  # type: ignore[union-attr]
    )


def _is_prospective_applicant(user: AnyUser, application) -> bool:
    """The CIO who created `application` for a new organisation they are not yet in."""
    return (
        application.created_by_id == user.pk
        and is_cio(user)
        and applied_for_prospective(user, application.organisation)
    )


def can_see_application(user: AnyUser, application) -> bool:
    """Approvers and procurement officers (read only) see every application."""
    return (
        is_approver(user)
        or is_procurement(user)
        or owns(user, application.organisation_id)
        or _is_prospective_applicant(user, application)
    )


def can_edit_application(user: AnyUser, application) -> bool:
    """Submit or withdraw: the applicant organisation's CIO, or for a new organisation the CIO
    who applied for it."""
    return owns(user, application.organisation_id) or _is_prospective_applicant(user, application)


def can_decide_application(user: AnyUser, application) -> bool:
    """Approve or reject: approvers, never on their own organisation's application."""
    if not is_approver(user):
        return False
    return user.organisation_id is None or user.organisation_id != application.organisation_id  # type: ignore[union-attr]


def can_apply(user: AnyUser) -> bool:
    return is_cio(user)


def scope_applications(user: AnyUser, queryset: QuerySet) -> QuerySet:
    # Procurement officers read every application and its audit trail; they decide none.
    if is_approver(user) or is_procurement(user):
        return queryset
    if is_cio(user):
        return queryset.filter(
            Q(organisation_id=user.organisation_id)  # type: ignore[union-attr]
            | Q(created_by_id=user.pk, organisation__membership_status=PROSPECTIVE)
        )
    return queryset.none()


# --- contracts ----------------------------------------------------------------------------


def can_see_contract(user: AnyUser, contract) -> bool:
    return can_see_all_organisations_records(user) or owns(user, contract.organisation_id)


def scope_contracts(user: AnyUser, queryset: QuerySet) -> QuerySet:
    if can_see_all_organisations_records(user):
        return queryset
    if is_cio(user):
        return queryset.filter(organisation_id=user.organisation_id)  # type: ignore[union-attr]
    return queryset.none()


def can_see_download_log(user: AnyUser) -> bool:
    return is_cabinet_office(user)


# --- the framework dashboard --------------------------------------------------------------


def can_see_members_costs(user: AnyUser) -> bool:
    """Each member's previous cost per seat and its own saving are commercially sensitive:
    only Cabinet Office staff see every member's. A CIO sees their own organisation's (`owns`);
    everyone signed in sees the framework's totals."""
    return is_cabinet_office(user)


# --- rollouts -----------------------------------------------------------------------------


def can_see_rollout(user: AnyUser, plan) -> bool:
    return can_see_all_organisations_records(user) or owns(user, plan.contract.organisation_id)


def can_edit_rollout(user: AnyUser, plan) -> bool:
    """Waves are edited by the owning organisation's CIO (Cabinet Office staff may help)."""
    return owns(user, plan.contract.organisation_id) or is_cabinet_office(user)


def scope_rollouts(user: AnyUser, queryset: QuerySet) -> QuerySet:
    """`queryset` is of RolloutPlan, whose organisation is reached through its contract."""
    if can_see_all_organisations_records(user):
        return queryset
    if is_cio(user):
        return queryset.filter(contract__organisation_id=user.organisation_id)  # type: ignore[union-attr]
    return queryset.none()


def can_manage_templates(user: AnyUser) -> bool:
    return is_cabinet_office(user)


# --- catalogue ----------------------------------------------------------------------------


def can_manage_catalogue(user: AnyUser) -> bool:
    return is_cabinet_office(user)


# --- change requests ----------------------------------------------------------------------


def can_request_change(user: AnyUser, contract) -> bool:
    """Change a contract, or withdraw a change asked for: the contract organisation's CIO."""
    return owns(user, contract.organisation_id)


def can_end_contract(user: AnyUser, contract) -> bool:
    """Give notice on or end a contract: its own CIO, or Cabinet Office staff."""
    return owns(user, contract.organisation_id) or is_cabinet_office(user)


def scope_change_requests(user: AnyUser, queryset: QuerySet) -> QuerySet:
    """Approvers decide every change request and procurement officers read them all (read
    only); a CIO sees their own organisation's."""
    if is_approver(user) or is_procurement(user):
        return queryset
    if is_cio(user):
        return queryset.filter(organisation_id=user.organisation_id)  # type: ignore[union-attr]
    return queryset.none()
