"""The pricing scheme codec: everything that maps a pricing scheme onto the rest of the portal.

catalogue/pricing.py holds the schemes themselves, as pure dataclasses. This module is the one
place that knows, for each of them, its Service columns (and the words the admin uses for
them), whether it has bands, how it is built from a Service or from a dict of cleaned values,
the Service column values it is saved as, its API representation and serializer, its part of
the Service check constraint, and its explanation in plain English.

Each scheme has one codec, registered in CODECS under its name (a PricingScheme value); the
module-level functions look the codec up and delegate to it. To add a scheme: add it to
pricing.py, add a PricingScheme member, a codec and its serializer here, its columns to Service
if it needs new ones, and a migration.
"""

from __future__ import annotations

import functools
import operator
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django.db import models
from django.db.models import F, Q
from rest_framework import serializers

from core.formatting import money, seats

from . import pricing
from .api.fields import Money

if TYPE_CHECKING:
    from .models import Service


class PricingScheme(models.TextChoices):
    VOLUME = "volume", "Volume bands"
    COST_SHARE = "cost_share", "Shared fixed cost"
    FLAT = "flat", "Flat price"


@dataclass(frozen=True)
class SchemeExplanation:
    """A pricing scheme in plain English: a summary sentence, then one item per rule."""

    summary: str
    items: tuple[str, ...]


S = TypeVar("S", bound=pricing.Scheme)


class SchemeCodec(ABC, Generic[S]):
    """How one pricing scheme maps onto the Service model, the admin, the API and words.

    A subclass sets the class attributes and implements `build`, `parameters` and `explain`.
    """

    name: ClassVar[str]
    scheme_type: ClassVar[type]
    # The Service columns that hold the scheme's parameters, each with the words the admin's
    # messages use for it ("Enter the price per seat ..."). Every one is money of £0 or more.
    columns: ClassVar[dict[str, str]] = {}
    has_bands: ClassVar[bool] = False
    # The API output serializer, one of the PolymorphicProxySerializer's choices.
    serializer: ClassVar[type[serializers.Serializer]]
    # Database rules beyond "own columns are £0 or more and the other schemes' are null".
    rules: ClassVar[Q] = Q()

    @property
    def label(self) -> str:
        return PricingScheme(self.name).label

    @abstractmethod
    def build(self, values: Mapping[str, Any], *, bands: Sequence[pricing.Band] = ()) -> S:
        """The scheme from its parameters (`values`, by column; other keys are ignored)."""

    @abstractmethod
    def parameters(self, scheme: S) -> dict[str, Decimal]:
        """The scheme's own column values, by column."""

    @abstractmethod
    def explain(self, scheme: S) -> SchemeExplanation:
        """The scheme in plain English."""

    def bands(self, scheme: S) -> tuple[pricing.Band, ...]:
        return ()

    def band_errors(self, bands: Sequence[pricing.Band]) -> list[str]:
        """What is wrong with the bands on their own (the admin checks them in their formset)."""
        return []

    def from_service(self, service: Service) -> S:
        """The scheme of a service (its bands prefetched, for a scheme with bands)."""
        bands: tuple[pricing.Band, ...] = ()
        if self.has_bands:
            rows = sorted(service.bands.all(), key=lambda b: (b.up_to is None, b.up_to or 0))
            bands = tuple(pricing.Band(up_to=b.up_to, unit_price=b.unit_price) for b in rows)
        return self.build(
            {column: getattr(service, column) for column in self.columns}, bands=bands
        )

    def api_data(self, scheme: S) -> dict[str, object]:
        data: dict[str, object] = {"scheme": self.name, **self.parameters(scheme)}
        if self.has_bands:
            data["bands"] = [vars(band) for band in self.bands(scheme)]
        return data

    def representation(self, scheme: S) -> dict:
        return self.serializer(self.api_data(scheme)).data

    def condition(self) -> Q:
        """This scheme's alternative in the Service check constraint."""
        own = Q(**{f"{column}__gte": 0 for column in self.columns})
        others = Q(*((f"{c}__isnull", True) for c in PARAMETER_COLUMNS if c not in self.columns))
        return Q(pricing_scheme=self.name) & own & others & self.rules


# --- volume ----------------------------------------------------------------------------------


class BandOutputSerializer(serializers.Serializer):
    up_to = serializers.IntegerField(
        allow_null=True, help_text="Highest framework seats of this band; null: no bound."
    )
    unit_price = Money()


class VolumePricingSerializer(serializers.Serializer):
    scheme = serializers.ChoiceField(choices=[PricingScheme.VOLUME.value])
    bands = BandOutputSerializer(many=True)


class VolumeCodec(SchemeCodec[pricing.VolumeScheme]):
    name = PricingScheme.VOLUME.value
    scheme_type = pricing.VolumeScheme
    has_bands = True
    serializer = VolumePricingSerializer

    def build(self, values, *, bands=()):
        return pricing.VolumeScheme(bands=tuple(bands))

    def parameters(self, scheme):
        return {}

    def bands(self, scheme):
        return scheme.bands

    def band_errors(self, bands):
        try:
            pricing.VolumeScheme(bands=tuple(bands)).validate()
        except pricing.SchemeError as exc:
            return exc.errors["bands"]
        return []

    def explain(self, scheme):
        items = []
        lower = 0
        for band in scheme.bands:
            price = money(band.unit_price)
            if band.up_to is None and lower == 0:
                items.append(f"every member pays {price} however many seats the framework has")
            elif band.up_to is None:
                items.append(
                    f"every member pays {price} once the framework has more than {seats(lower)} seats"
                )
            elif lower == 0:
                items.append(
                    f"every member pays {price} while the framework has {seats(band.up_to)} seats or fewer"
                )
            else:
                items.append(
                    f"every member pays {price} while the framework has {seats(lower + 1)} to "
                    f"{seats(band.up_to)} seats"
                )
            lower = band.up_to or lower
        return SchemeExplanation(
            summary=(
                "Volume bands: every member pays the same price per seat a year, set by the total "
                "number of seats on the framework. As the framework grows, everyone moves to a "
                "cheaper band."
            ),
            items=tuple(items),
        )


# --- shared fixed cost -----------------------------------------------------------------------


class CostSharePricingSerializer(serializers.Serializer):
    scheme = serializers.ChoiceField(choices=[PricingScheme.COST_SHARE.value])
    fixed_annual_cost = Money()
    marginal_cost = Money()
    floor = Money()


class CostShareCodec(SchemeCodec[pricing.CostShareScheme]):
    name = PricingScheme.COST_SHARE.value
    scheme_type = pricing.CostShareScheme
    columns = {
        "fixed_annual_cost": "the fixed annual cost",
        "marginal_cost": "the marginal cost per seat",
        "floor": "the floor price per seat",
    }
    serializer = CostSharePricingSerializer
    # The floor must be reachable: no higher than the price at one seat.
    rules = Q(floor__lte=F("fixed_annual_cost") + F("marginal_cost"))

    def build(self, values, *, bands=()):
        return pricing.CostShareScheme(
            fixed_annual_cost=values["fixed_annual_cost"],
            marginal_cost=values["marginal_cost"],
            floor=values["floor"],
        )

    def parameters(self, scheme):
        return {
            "fixed_annual_cost": scheme.fixed_annual_cost,
            "marginal_cost": scheme.marginal_cost,
            "floor": scheme.floor,
        }

    def explain(self, scheme):
        items = [
            f"a fixed annual cost of {money(scheme.fixed_annual_cost)} is shared equally by every "
            "seat on the framework",
            f"each seat also pays a marginal cost of {money(scheme.marginal_cost)}",
            f"the price never falls below the floor of {money(scheme.floor)} per seat",
        ]
        reached = pricing.cost_share_floor_reached_at(scheme)
        if reached is not None:
            items.append(f"the floor is reached when the framework has {seats(reached)} seats")
        return SchemeExplanation(
            summary=(
                "Shared fixed cost: every member pays the same price per seat a year, which falls "
                "as more seats join because the fixed cost is shared by more people."
            ),
            items=tuple(items),
        )


# --- flat ------------------------------------------------------------------------------------


class FlatPricingSerializer(serializers.Serializer):
    scheme = serializers.ChoiceField(choices=[PricingScheme.FLAT.value])
    unit_price = Money()


class FlatCodec(SchemeCodec[pricing.FlatScheme]):
    name = PricingScheme.FLAT.value
    scheme_type = pricing.FlatScheme
    columns = {"unit_price": "the price per seat"}
    serializer = FlatPricingSerializer

    def build(self, values, *, bands=()):
        return pricing.FlatScheme(unit_price_value=values["unit_price"])

    def parameters(self, scheme):
        return {"unit_price": scheme.unit_price_value}

    def explain(self, scheme):
        return SchemeExplanation(
            summary=(
                f"Every member pays {money(scheme.unit_price_value)} per seat a year, however "
                "many seats the framework has."
            ),
            items=(),
        )


# --- the registry ----------------------------------------------------------------------------

CODECS: dict[str, SchemeCodec] = {
    codec.name: codec for codec in (VolumeCodec(), CostShareCodec(), FlatCodec())
}
_BY_TYPE: dict[type, SchemeCodec] = {codec.scheme_type: codec for codec in CODECS.values()}

# Every scheme's parameter columns on Service, and all the columns a scheme change writes.
PARAMETER_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(column for codec in CODECS.values() for column in codec.columns)
)
SERVICE_FIELDS: tuple[str, ...] = ("pricing_scheme", *PARAMETER_COLUMNS)


def codec_named(name: str) -> SchemeCodec:
    """The codec of a PricingScheme value; raises KeyError for any other."""
    return CODECS[name]


def codec_of(scheme: pricing.Scheme) -> SchemeCodec:
    return _BY_TYPE[type(scheme)]


def scheme_for(service: Service) -> pricing.Scheme:
    """The pure pricing scheme of a service (its bands prefetched)."""
    return codec_named(service.pricing_scheme).from_service(service)


def scheme_from(values: Mapping[str, Any], *, bands: Sequence[pricing.Band] = ()) -> pricing.Scheme:
    """The scheme named by `values["pricing_scheme"]`, from its parameters in `values` (by
    column, e.g. a form's cleaned data) and, for a scheme with bands, `bands`."""
    return codec_named(values["pricing_scheme"]).build(values, bands=bands)


def service_values(scheme: pricing.Scheme) -> dict[str, object]:
    """The Service columns of a scheme (SERVICE_FIELDS); the other schemes' columns are
    cleared, as the database constraint requires."""
    codec = codec_of(scheme)
    return {
        "pricing_scheme": codec.name,
        **dict.fromkeys(PARAMETER_COLUMNS),
        **codec.parameters(scheme),
    }


def scheme_bands(scheme: pricing.Scheme) -> tuple[pricing.Band, ...]:
    """The bands to save for a scheme: none for a scheme without bands."""
    return codec_of(scheme).bands(scheme)


def representation(scheme: pricing.Scheme) -> dict:
    """The scheme as the API shows it: `{"scheme": name, ...its parameters}`."""
    return codec_of(scheme).representation(scheme)


def pricing_serializers() -> dict[str, type[serializers.Serializer]]:
    """The API serializer of each scheme, by name, for the schema's PolymorphicProxySerializer."""
    return {name: codec.serializer for name, codec in CODECS.items()}


def explain_scheme(scheme: pricing.Scheme) -> SchemeExplanation:
    return codec_of(scheme).explain(scheme)


def service_constraint() -> models.CheckConstraint:
    """Service's check constraint: each scheme's own parameters are set (and £0 or more, with
    its further rules) and every other scheme's are null."""
    return models.CheckConstraint(
        condition=functools.reduce(operator.or_, (c.condition() for c in CODECS.values())),
        name="service_scheme_parameters",
    )
