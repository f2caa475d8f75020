"""Writes to organisations: a new (prospective) organisation, and the start of membership."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from .models import MembershipStatus, Organisation, OrganisationKind


def organisation_name_clean(name: str) -> str:
    """Names are compared and stored with runs of white space folded to one space."""
    return " ".join(name.split())


NAME_TAKEN = "An organisation with this name already exists: apply for it instead."
SLUG_ATTEMPTS = 3


def organisation_name_taken(name: str) -> bool:
    return Organisation.objects.filter(name__iexact=organisation_name_clean(name)).exists()


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    staff: int,
    desktops: int | None = None,
    predecessors: Sequence[Organisation] = (),
) -> Organisation:
    """A prospective organisation (for example one formed by a merger), not yet a member.

    The name is checked first, but two requests naming the same new organisation at the same
    moment both pass that check: the database's unique name and slug then refuse the second
    insert (it waits for the first to commit). That refusal is caught in a savepoint, so the
    caller's transaction goes on and is refused cleanly: the name is taken (ValidationError,
    nothing written), or only the slug was (another name with the same slug), when a new slug
    is tried."""
    name = organisation_name_clean(name)
    if organisation_name_taken(name):
        raise ValidationError({"name": [NAME_TAKEN]})
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": ["Choose the kind of organisation."]})
    organisation = Organisation(
        name=name,
        kind=kind,
        staff=staff,
        desktops=desktops,
        membership_status=MembershipStatus.PROSPECTIVE,
    )
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        organisation.slug = _slug_free(name)
        organisation.full_clean(validate_unique=False)  # the database's, just below
        try:
            with transaction.atomic():
                organisation.save(force_insert=True)
        except IntegrityError as exc:
            if organisation_name_taken(name):
                raise ValidationError({"name": [NAME_TAKEN]}) from exc
            if attempt == SLUG_ATTEMPTS:
                raise
        else:
            break
    if predecessors:
        organisation.predecessors.set(predecessors)
    return organisation


def _slug_free(name: str) -> str:
    base = slugify(name)[:56] or "organisation"
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def organisation_lock(*, organisation_id: int) -> Organisation:
    """The organisation re-read under a row lock for the rest of the caller's transaction."""
    return Organisation.objects.select_for_update().get(pk=organisation_id)


def organisation_membership_start(*, organisation: Organisation, on: dt.date) -> Organisation:
    """Make an organisation an active member from `on`, unless it already is one. The caller
    holds the row lock (`organisation_lock`) in its transaction."""
    if organisation.membership_status != MembershipStatus.ACTIVE:
        organisation.membership_status = MembershipStatus.ACTIVE
        organisation.joined_on = on
        organisation.save(update_fields=["membership_status", "joined_on"])
    return organisation


@transaction.atomic
def organisation_record(
    *,
    slug: str,
    name: str,
    short_name: str,
    kind: str,
    staff: int,
    desktops: int | None,
    membership_status: str,
) -> Organisation:
    """An organisation as a register lists it (the demo data, a bulk load): created with
    `membership_status` if new, else its details brought up to date. Membership of an existing
    organisation is never changed here: it follows the organisation's contracts."""
    details = {"name": name, "short_name": short_name, "kind": kind, "staff": staff}
    details["desktops"] = desktops
    organisation, _ = Organisation.objects.update_or_create(
        slug=slug,
        defaults=details,
        create_defaults={**details, "membership_status": membership_status},
    )
    return organisation


def organisation_predecessors_add(
    *, organisation: Organisation, predecessors: Sequence[Organisation]
) -> None:
    """Record that `organisation` took over the work of `predecessors` (a merger)."""
    organisation.predecessors.add(*predecessors)


def organisation_membership_end(*, organisation: Organisation) -> Organisation:
    """An organisation whose last active contract ended is no longer an active member (it
    becomes a former member). The caller holds the row lock (`organisation_lock`)."""
    if organisation.membership_status == MembershipStatus.ACTIVE:
        organisation.membership_status = MembershipStatus.FORMER
        organisation.save(update_fields=["membership_status"])
    return organisation
