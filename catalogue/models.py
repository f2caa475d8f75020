from django.db import models
from django.db.models import Q

from core.history import track
from core.pagecache import stale_pages_on_write

from . import schemes
from .schemes import PricingScheme


class ServiceKind(models.TextChoices):
    CORE = "core", "Core service"
    EXTRA = "extra", "Optional extra"


class Category(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", "Infrastructure"
    COLLABORATION = "collaboration", "Collaboration"
    BUSINESS_APPLICATIONS = "business_applications", "Business applications"
    INTEGRATION = "integration", "Integration"


MONEY = {"max_digits": 12, "decimal_places": 2}


@track(model_name="ServiceHistory")
@stale_pages_on_write
class Service(models.Model):
    """Something Flex offers, priced per seat per year under exactly one pricing scheme.

    `framework_seats` and `current_unit_price` are written only by the repricing service, from
    the active contract lines; the price history lives in PriceSnapshot.
    """

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=ServiceKind.choices)
    category = models.CharField(max_length=30, choices=Category.choices)
    description = models.TextField()
    included = models.TextField(blank=True, help_text="What is included, one item a line.")
    active = models.BooleanField(default=True)

    pricing_scheme = models.CharField(max_length=12, choices=PricingScheme.choices)
    fixed_annual_cost = models.DecimalField(null=True, blank=True, **MONEY)
    marginal_cost = models.DecimalField(null=True, blank=True, **MONEY)
    floor = models.DecimalField(null=True, blank=True, **MONEY)
    unit_price = models.DecimalField(null=True, blank=True, **MONEY)

    framework_seats = models.PositiveIntegerField(default=0, editable=False)
    current_unit_price = models.DecimalField(null=True, editable=False, **MONEY)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            # Each scheme's own parameters set, every other scheme's null (catalogue/schemes.py).
            schemes.service_constraint(),
            models.CheckConstraint(
                condition=Q(current_unit_price__isnull=True) | Q(current_unit_price__gte=0),
                name="service_current_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def included_items(self) -> list[str]:
        return [line.strip() for line in self.included.splitlines() if line.strip()]


@track(model_name="PriceBandHistory")
@stale_pages_on_write
class PriceBand(models.Model):
    """One band of a `volume` scheme: the price every member pays while framework seats are at
    most `up_to` (no bound when null; each scheme's last band has none)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="bands")
    up_to = models.PositiveIntegerField(null=True, blank=True)
    unit_price = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["service", models.F("up_to").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(fields=["service", "up_to"], name="band_unique_bound"),
            models.UniqueConstraint(
                fields=["service"], condition=Q(up_to__isnull=True), name="band_one_unbounded"
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="band_price_not_negative"),
            models.CheckConstraint(
                condition=Q(up_to__isnull=True) | Q(up_to__gte=1), name="band_bound_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}: up to {self.up_to or 'any'} at £{self.unit_price}"


@stale_pages_on_write
class PriceSnapshot(models.Model):
    """Append-only price history: a row whenever a service's framework seats or price change."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="snapshots")
    effective_at = models.DateTimeField()
    framework_seats = models.PositiveIntegerField()
    unit_price = models.DecimalField(**MONEY)
    reason = models.CharField(max_length=200)
    caused_by = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["service", "effective_at", "pk"]
        get_latest_by = ["effective_at", "pk"]
        indexes = [models.Index(fields=["service", "effective_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="snapshot_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} at {self.effective_at:%Y-%m-%d}: £{self.unit_price}"


@stale_pages_on_write
class CatalogueVersion(models.Model):
    """One row whose number every catalogue write raises in its own transaction, so a cached
    catalogue response (catalogue/caching.py) is never served once the data it shows changed."""

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Catalogue version {self.number}"
