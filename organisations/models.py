from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Upper

from core.history import track
from core.pagecache import stale_pages_on_write


class OrganisationKind(models.TextChoices):
    MINISTERIAL = "ministerial", "Ministerial department"
    NON_MINISTERIAL = "non_ministerial", "Non-ministerial department"
    AGENCY = "agency", "Agency"
    OTHER = "other", "Other public body"


class MembershipStatus(models.TextChoices):
    PROSPECTIVE = "prospective", "Not yet a member"
    ACTIVE = "active", "Active member"
    FORMER = "former", "Former member"
    DISSOLVED = "dissolved", "Dissolved"


@track(model_name="OrganisationHistory", exclude=["search_name"])
@stale_pages_on_write
class Organisation(models.Model):
    """A public-sector body that is, or may become, a member of the Flex framework."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=30, blank=True, help_text="e.g. DIUS")
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    staff = models.PositiveIntegerField()
    desktops = models.PositiveIntegerField(null=True, blank=True)
    membership_status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.PROSPECTIVE
    )
    joined_on = models.DateField(null=True, blank=True)
    # The name and short name in capitals, kept by the database on every write: what a
    # keyword search of contracts matches (procurement.filters), which otherwise upper-cased
    # both names of every organisation on every search (42 ms of a 100 ms page at 40,000
    # organisations; 12 ms with this). A line break between, which no search field sends.
    search_name = models.GeneratedField(
        expression=Upper(Concat("name", Value("\n"), "short_name")),
        output_field=models.CharField(max_length=231),
        db_persist=True,
    )
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, related_name="successors", blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(membership_status="active") | Q(joined_on__isnull=False),
                name="organisation_active_has_joined_on",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name
