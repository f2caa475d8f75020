"""Every field of every form the portal shows speaks GOV.UK: for each error a field can raise
(required, too long, not a choice, not a number, not a date...), its message is the portal's
own, never one of Django's (or a library's) default English templates such as "Ensure this
value has at most 100 characters (it has 5000)." or "Select a valid choice. zzz is not one of
the available choices."

The forms are found by walking the portal's apps, so a new form is checked without anyone
remembering to add it: the test fails until it is given a way to be built in BUILDERS.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import django_filters
import pytest
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.apps import apps
from django.conf import settings
from django.core import validators
from django.forms import models as model_forms

from accounts.forms import LoginForm
from applications import forms as application_forms
from applications.filters import ApplicationFilter
from audit.forms import AuditFilterForm
from catalogue.filters import ServiceFilter
from catalogue.forms import QuoteForm, ServiceSearchForm
from contracts.models import Contract
from pages.forms import FeedbackForm
from procurement.filters import ContractFilter
from procurement.forms import ContractFilterForm
from rollout import forms as rollout_forms
from rollout.filters import RolloutPlanFilter
from rollout.models import RolloutTemplate
from tests import factories

pytestmark = pytest.mark.django_db

# The portal's own apps (the folders at the top of this repository), bottom layer first.
APPS = [
    config.name
    for config in apps.get_app_configs()
    if Path(config.path).parent == Path(settings.BASE_DIR)
]
# Forms of the Django admin, which speaks the admin's own language to Cabinet Office staff.
ADMIN_MODULE = re.compile(r"\.admin$")


def _services():
    return [factories.ServiceFactory(slug="desktop", name="Standard desktop")]


# Each form class, built as its view builds it (the fields some add in __init__ included).
BUILDERS: dict[type, Callable[[], forms.BaseForm]] = {
    LoginForm: lambda: LoginForm(),
    FeedbackForm: lambda: FeedbackForm(),
    ServiceSearchForm: lambda: ServiceFilter().form,
    QuoteForm: lambda: QuoteForm(services=_services()),
    application_forms.OrganisationChoiceForm: lambda: application_forms.OrganisationChoiceForm(
        organisation=factories.OrganisationFactory()
    ),
    application_forms.NewOrganisationForm: lambda: application_forms.NewOrganisationForm(
        predecessors=[factories.OrganisationFactory()]
    ),
    application_forms.ServicesForm: lambda: application_forms.ServicesForm(services=_services()),
    application_forms.TermForm: lambda: application_forms.TermForm(),
    application_forms.StartDateForm: lambda: application_forms.StartDateForm(),
    application_forms.CurrentCostForm: lambda: application_forms.CurrentCostForm(),
    application_forms.RejectForm: lambda: application_forms.RejectForm(),
    application_forms.WithdrawForm: lambda: application_forms.WithdrawForm(),
    application_forms.QueueFilterForm: lambda: application_forms.QueueFilterForm(),
    application_forms.ApproveForm: lambda: application_forms.ApproveForm(),
    application_forms.ChangeSeatsForm: lambda: application_forms.ChangeSeatsForm(
        services=_services(), current={"desktop": 100}
    ),
    application_forms.EndContractForm: lambda: application_forms.EndContractForm(),
    AuditFilterForm: lambda: AuditFilterForm(),
    rollout_forms.WaveForm: lambda: rollout_forms.WaveForm(),
    rollout_forms.PlanFromTemplateForm: lambda: rollout_forms.PlanFromTemplateForm(
        contracts=Contract.objects.all(), templates=RolloutTemplate.objects.all()
    ),
    rollout_forms.SaveAsTemplateForm: lambda: rollout_forms.SaveAsTemplateForm(),
    ContractFilterForm: lambda: ContractFilter().form,
    # FilterSets build their form from their filters.
    ServiceFilter: lambda: ServiceFilter().form,
    ContractFilter: lambda: ContractFilter().form,
    ApplicationFilter: lambda: ApplicationFilter().form,
    RolloutPlanFilter: lambda: RolloutPlanFilter().form,
}


def _portal_classes() -> Iterator[type]:
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ADMIN_MODULE.search(info.name):
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    inspect.isclass(value)
                    and value.__module__ == module.__name__
                    and issubclass(value, forms.BaseForm | django_filters.FilterSet)
                ):
                    yield value


class _Params(dict):
    """Any placeholder of a message template, filled with the same number (7)."""

    def __missing__(self, key: str) -> int:
        return 7


def _text(message) -> str:
    """A message as shown: its template filled in (a plural template picks its form)."""
    try:
        return str(message % _Params())
    except (TypeError, ValueError, KeyError):
        return str(message)


def _default_messages() -> set[str]:
    """Every error message Django's form fields and validators, django-filter's fields and
    crispy-forms-gds's date input come with, as shown."""
    messages: list = []
    for module in (forms.fields, model_forms, django_filters.fields):
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, forms.Field):
                for klass in value.__mro__:
                    messages += vars(klass).get("default_error_messages", {}).values()
    for value in vars(validators).values():
        if inspect.isclass(value):
            for attr in ("message", "messages"):
                found = vars(value).get(attr)
                if isinstance(found, dict):
                    messages += found.values()
                elif found is not None and not isinstance(found, property):
                    messages.append(found)
        elif isinstance(value, validators.RegexValidator):
            messages.append(value.message)
    date_input = DateInputField()
    messages += date_input.error_messages.values()
    for sub in date_input.fields:
        messages += sub.error_messages.values()
        messages += [v.message for v in sub.validators]
    return {_text(message) for message in messages}


DEFAULTS = _default_messages()


def _errors_of(field: forms.Field, *, part: bool = False) -> dict[str, str]:
    """The error codes `field` can raise, with the message each would show. The day, month or
    year of a date input (`part`) never raises its own "required": its date says what is
    missing."""
    errors = {
        code: _text(message)
        for code, message in field.error_messages.items()
        if code != "required" or (field.required and not part)
    }
    for validator in field.validators:
        codes = getattr(validator, "messages", None) or {validator.code: validator.message}
        for code, message in codes.items():
            errors.setdefault(code, _text(field.error_messages.get(code, message)))
    return errors


def _errors(form: forms.BaseForm) -> Iterator[tuple[str, str, str]]:
    for name, field in form.fields.items():
        for code, message in _errors_of(field).items():
            yield name, code, message
        # The day, month and year of a date input whose own clean runs each of them.
        if isinstance(field, forms.MultiValueField) and _runs_subfields(field):
            for i, sub in enumerate(field.fields):
                for code, message in _errors_of(sub, part=True).items():
                    yield f"{name}_{i}", code, message


def _runs_subfields(field: forms.MultiValueField) -> bool:
    clean = type(field).clean
    return clean in (forms.MultiValueField.clean, DateInputField.clean)


def test_every_form_of_the_portal_is_checked():
    unbuilt = sorted(
        f"{cls.__module__}.{cls.__qualname__}" for cls in _portal_classes() if cls not in BUILDERS
    )
    assert not unbuilt, f"add these forms to BUILDERS: {unbuilt}"


@pytest.mark.parametrize(
    "form_class", sorted(BUILDERS, key=lambda c: c.__qualname__), ids=lambda c: c.__qualname__
)
def test_no_default_message_is_left(form_class):
    form = BUILDERS[form_class]()
    left = [
        f"{name}.{code}: {message!r}"
        for name, code, message in _errors(form)
        if message in DEFAULTS
    ]
    assert not left, f"{form_class.__qualname__} still has Django's messages: " + "; ".join(left)


def test_the_default_messages_are_really_found():
    assert "Ensure this value has at most 7 characters (it has 7)." in DEFAULTS
    assert "Select a valid choice. 7 is not one of the available choices." in DEFAULTS
    assert "This field is required." in DEFAULTS
    assert "Enter a valid year" in DEFAULTS  # crispy-forms-gds's date input


# --- dates: a year of other than 4 numbers -------------------------------------------------

YEAR = "Year must include 4 numbers"


@pytest.mark.parametrize("year", ["27", "202", "20271"])
def test_a_rollout_date_with_a_short_year_says_so(year):
    field = rollout_forms.GovukDateField(label="Planned start date")
    with pytest.raises(forms.ValidationError) as error:
        field.clean(["7", "6", year])
    assert error.value.messages == [YEAR]


@pytest.mark.parametrize("year", ["27", "202", "20271"])
def test_an_application_start_date_with_a_short_year_says_so(year):
    form = application_forms.StartDateForm(
        data={"requested_start_0": "1", "requested_start_1": "9", "requested_start_2": year}
    )
    assert not form.is_valid()
    assert [m for errors in form.errors.values() for m in errors] == [YEAR]


@pytest.mark.parametrize("year", ["27", "202", "20271"])
def test_a_contract_filter_date_with_a_short_year_says_so(year):
    contract_filter = ContractFilter(
        data={"signed_after_day": "1", "signed_after_month": "9", "signed_after_year": year},
        queryset=Contract.objects.all(),
    )
    assert not contract_filter.form.is_valid()
    assert contract_filter.form.errors == {"signed_after": [YEAR]}


def test_a_four_digit_year_still_makes_a_date():
    field = rollout_forms.GovukDateField(label="Planned start date")
    assert field.clean(["7", "6", "2027"]) == dt.date(2027, 6, 7)


def test_the_pages_show_the_portals_messages(client, demo):
    from accounts.models import User

    client.force_login(User.objects.get(username="approver"))
    pages = {
        "/catalogue/?q=" + "a" * 5000: "Search words must be 100 characters or fewer",
        "/catalogue/?category=zzz": "Choose a category from the list",
        "/contracts/?q=" + "a" * 5000: "must be 100 characters or fewer",
        "/contracts/?signed_after_day=1&signed_after_month=1&signed_after_year=27": YEAR,
        "/applications/?status=zzz": "Select a status from the list",
    }
    for url, message in pages.items():
        body = client.get(url).content.decode()
        assert message in body, url
        assert "Ensure this value" not in body and "Select a valid choice" not in body, url


def test_the_api_filters_answer_with_the_portals_messages(api_client, demo):
    from accounts.models import User

    api_client.force_authenticate(User.objects.get(username="approver"))
    response = api_client.get("/api/v1/applications/?status=zzz")
    assert response.status_code == 400
    assert response.json() == {"status": ["Select a status from the list"]}
