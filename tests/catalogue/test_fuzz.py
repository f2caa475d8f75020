"""Whatever arrives, the quote page and API answer with a result or field errors, never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(
        ["desktop", "wireless", "2000", "1e5", "NaN", "-0", "2,000", "£2400.00", "12.345"]
    ),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
lines = st.lists(
    st.fixed_dictionaries(
        {
            "service": st.one_of(st.sampled_from(["desktop", "email", "x"]), scalars),
            "seats": scalars,
        }
    ),
    max_size=4,
)
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"lines": st.one_of(lines, json_values), "term_years": scalars},
        optional={"current_cost_per_seat": scalars},
    ),
)


@FUZZ
@given(body=bodies)
def test_quote_api_never_fails(api_client, demo_user, body):
    api_client.force_authenticate(demo_user("procurement"))
    response = api_client.post("/api/v1/quotes/", body, format="json")
    assert response.status_code in (200, 400), response.content


query_values = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["0", "-1", "2000", "1000001", "1e3", "5", "11", "NaN", "2400.005"]),
)


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "seats_desktop",
                "seats_email",
                "seats_nope",
                "term_years",
                "current_cost_per_seat",
                "q",
                "category",
            ]
        ),
        query_values,
        max_size=5,
    )
)
def test_quote_and_catalogue_pages_never_fail(client, demo_user, params):
    client.force_login(demo_user("cio-agency"))
    assert client.get("/quote/", params).status_code == 200
    assert client.get("/catalogue/", params).status_code == 200


@pytest.mark.parametrize(
    "raw",
    [
        '{"lines": NaN, "term_years": 5}',
        '{"lines": [{"service": "desktop", "seats": Infinity}], "term_years": 5}',
        "{",
        '"just a string"',
    ],
)
def test_quote_api_refuses_json_that_is_not_json(api_client, demo_user, raw):
    api_client.force_authenticate(demo_user("procurement"))
    response = api_client.post("/api/v1/quotes/", raw, content_type="application/json")
    assert response.status_code == 400
