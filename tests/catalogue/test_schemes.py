"""The pricing scheme codec (catalogue/schemes.py): every registered scheme round-trips through
the Service columns, the database and the API, and has words for the pages and the admin."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from catalogue import pricing, schemes, selectors
from catalogue import services as catalogue_services
from catalogue.models import Category, PricingScheme, ServiceKind
from tests.catalogue import strategies

# One strategy per registered scheme: a new scheme needs one here (and in strategies.schemes).
STRATEGIES = {
    PricingScheme.VOLUME: strategies.volume_schemes(),
    PricingScheme.COST_SHARE: strategies.cost_share_schemes(),
    PricingScheme.FLAT: strategies.flat_schemes,
}
DB = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_every_pricing_scheme_has_one_codec_and_a_strategy():
    assert set(schemes.CODECS) == set(PricingScheme.values) == set(STRATEGIES)
    for name, codec in schemes.CODECS.items():
        assert codec.name == name == codec.scheme_type.name
        assert codec.serializer is schemes.pricing_serializers()[name]
    assert len({codec.scheme_type for codec in schemes.CODECS.values()}) == len(schemes.CODECS)


def test_every_scheme_has_admin_labels_for_its_columns():
    for codec in schemes.CODECS.values():
        assert codec.label == PricingScheme(codec.name).label
        assert set(codec.columns) <= set(schemes.PARAMETER_COLUMNS)
        assert all(label.startswith("the ") for label in codec.columns.values())
        # Something to fill in: parameters, bands, or both.
        assert codec.columns or codec.has_bands
    assert ("pricing_scheme", *schemes.PARAMETER_COLUMNS) == schemes.SERVICE_FIELDS


@given(scheme=strategies.schemes)
def test_scheme_to_columns_and_back(scheme):
    codec = schemes.codec_of(scheme)
    values = schemes.service_values(scheme)
    assert tuple(values) == schemes.SERVICE_FIELDS
    assert values["pricing_scheme"] == codec.name
    # The other schemes' columns are cleared, as the database constraint requires.
    assert all(values[c] is None for c in schemes.PARAMETER_COLUMNS if c not in codec.columns)
    assert all(values[c] is not None for c in codec.columns)
    assert bool(schemes.scheme_bands(scheme)) == codec.has_bands
    assert schemes.scheme_from(values, bands=schemes.scheme_bands(scheme)) == scheme


@given(scheme=strategies.schemes)
def test_scheme_to_api_and_back_keeps_the_figures(scheme):
    codec = schemes.codec_of(scheme)
    data = schemes.representation(scheme)
    assert set(data) == {"scheme", *codec.columns} | ({"bands"} if codec.has_bands else set())
    assert data["scheme"] == codec.name
    assert codec.serializer(data=data).is_valid()
    back = schemes.scheme_from(
        {"pricing_scheme": data["scheme"], **{c: Decimal(data[c]) for c in codec.columns}},
        bands=tuple(
            pricing.Band(up_to=b["up_to"], unit_price=Decimal(b["unit_price"]))
            for b in data.get("bands", ())
        ),
    )
    assert back == scheme


@given(scheme=strategies.schemes)
def test_every_scheme_has_an_explanation(scheme):
    explanation = schemes.explain_scheme(scheme)
    assert explanation.summary.endswith(".")
    assert all(item and not item.endswith(".") for item in explanation.items)


@pytest.mark.django_db
@DB
@given(scheme=strategies.schemes)
def test_scheme_saved_on_a_service_reads_back_the_same(scheme):
    service = catalogue_services.service_create(
        slug="codec",
        name="Codec round trip",
        kind=ServiceKind.EXTRA,
        category=Category.INTEGRATION,
        description="A service that only tests the pricing scheme codec.",
        scheme=scheme,
    )
    try:
        assert selectors.scheme_for(selectors.service_by_slug("codec")) == scheme
    finally:
        service.delete()
