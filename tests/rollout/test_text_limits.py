"""Text a wave or template takes is capped at a sane length, refused with a GOV.UK message by
the API, the form and the services alike (SQLite would store any length it is given)."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from rollout import services

from .test_api import as_user, plan_of, wave_url, waves_of
from .test_pages import form_data
from .test_pages import wave_url as page_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"name": "W" * 121}, {"name": ["The wave name must be 120 characters or fewer"]}),
        (
            {"site": "S" * 121},
            {"site": ["The site or business unit must be 120 characters or fewer"]},
        ),
        (
            {"status": "blocked", "blocked_reason": "x" * 2001},
            {"blocked_reason": ["The reason must be 2,000 characters or fewer"]},
        ),
    ],
)
def test_the_api_refuses_text_too_long(api_client, demo, data, errors):
    plan = plan_of("CON-2026-0004")
    before = waves_of(plan)
    response = as_user(api_client, "cio-dius").patch(wave_url(plan, 1), data, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert waves_of(plan) == before


def test_the_services_refuse_text_too_long_whoever_calls_them(demo):
    plan = plan_of("CON-2026-0004")
    wave = plan.waves.get(order=1)
    change = services.WaveChange(**{**services.WaveChange.of(wave).__dict__, "name": "W" * 500})
    with pytest.raises(ValidationError) as error:
        services.wave_update(actor=User.objects.get(username="cio-dius"), wave=wave, change=change)
    assert error.value.message_dict == {"name": ["The wave name must be 120 characters or fewer"]}
    with pytest.raises(ValidationError) as error:
        services.rollout_template_create_from_plan(
            actor=None, plan=plan, name="T" * 201, description="d" * 2001
        )
    assert error.value.message_dict == {
        "name": ["The template name must be 200 characters or fewer"],
        "description": ["The description must be 2,000 characters or fewer"],
    }


def test_the_wave_form_refuses_a_long_name(client, demo):
    plan = plan_of("CON-2026-0004")
    client.force_login(User.objects.get(username="cio-dius"))
    response = client.post(page_url(plan, 1), form_data(name="W" * 500))
    assert response.status_code == 200
    assert "The wave name must be 120 characters or fewer" in response.content.decode()
