"""Hypothesis strategies for valid pricing schemes and quote requests."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from catalogue import pricing

money = st.decimals(
    min_value=Decimal("0"),
    max_value=Decimal("10000000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
small_money = st.decimals(
    min_value=Decimal("0"),
    max_value=Decimal("5000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
framework_seats = st.integers(min_value=0, max_value=5 * pricing.MAX_SEATS)
quote_seats = st.integers(min_value=1, max_value=pricing.MAX_SEATS)


@st.composite
def volume_schemes(draw) -> pricing.VolumeScheme:
    bounds = sorted(draw(st.sets(st.integers(1, 3 * pricing.MAX_SEATS), max_size=5)))
    prices = sorted(
        draw(st.lists(small_money, min_size=len(bounds) + 1, max_size=len(bounds) + 1)),
        reverse=True,
    )
    bands = [pricing.Band(up_to=b, unit_price=p) for b, p in zip(bounds, prices, strict=False)]
    bands.append(pricing.Band(up_to=None, unit_price=prices[-1]))
    return pricing.VolumeScheme(bands=tuple(bands))


@st.composite
def cost_share_schemes(draw) -> pricing.CostShareScheme:
    fixed = draw(money)
    marginal = draw(small_money)
    floor = draw(st.decimals(min_value=Decimal("0"), max_value=fixed + marginal, places=2))
    return pricing.CostShareScheme(fixed_annual_cost=fixed, marginal_cost=marginal, floor=floor)


flat_schemes = st.builds(pricing.FlatScheme, unit_price_value=small_money)
monotone_schemes = st.one_of(volume_schemes(), cost_share_schemes())
schemes = st.one_of(volume_schemes(), cost_share_schemes(), flat_schemes)


@st.composite
def quote_requests(draw) -> tuple[list[pricing.QuoteRequestLine], int, Decimal | None]:
    count = draw(st.integers(1, 6))
    lines = [
        pricing.QuoteRequestLine(
            service=pricing.PricedService(
                slug=f"service-{i}",
                name=f"Service {i}",
                scheme=draw(schemes),
                framework_seats=draw(framework_seats),
                # The first line is sometimes the core desktop, whose seats savings count.
                is_core=i == 0 and draw(st.booleans()),
            ),
            seats=draw(quote_seats),
        )
        for i in range(count)
    ]
    term = draw(st.integers(pricing.MIN_TERM_YEARS, pricing.MAX_TERM_YEARS))
    current = draw(
        st.none() | st.decimals(min_value=Decimal("0"), max_value=Decimal("99999999.99"), places=2)
    )
    return lines, term, current
