"""The CIO's application journey: a start page (which a quote can prefill), one question a
page, "Check your answers", then submit. Answers live in the session until submitted
(applications/journey.py); a page with errors shows them and keeps what was typed."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import permissions
from catalogue.models import Category, Service
from catalogue.selectors import quote_for, service_list
from contracts import selectors as contract_selectors
from contracts.models import ContractKind
from core.forms import service_error_items
from organisations.models import Organisation, OrganisationKind
from organisations.selectors import scope_organisations

from .. import selectors, services
from ..forms import (
    CONFIRM_SEATS_FIELD,
    CONFIRM_SEATS_ID,
    CONFIRM_SEATS_LABEL,
    CONFIRM_SEATS_LEGEND,
    CONFIRM_SEATS_MISSING,
    SEATS_PREFIX,
    CurrentCostForm,
    NewOrganisationForm,
    OrganisationChoiceForm,
    ServicesForm,
    StartDateForm,
    TermForm,
)
from ..journey import (
    CHECK,
    STEPS,
    JourneyAnswers,
    answers_clear,
    answers_from_quote,
    answers_load,
    answers_save,
    is_quote_query,
)

# Where an error found on submit is put right.
FIELD_STEPS = {
    "lines": "journey-services",
    "contract_kind": "application-start",
    "term_years": "journey-term",
    "requested_start": "journey-start-date",
    "current_cost_per_seat": "journey-current-cost",
    "name": "journey-new-organisation",
    "kind": "journey-new-organisation",
    "staff": "journey-new-organisation",
    "desktops": "journey-new-organisation",
}


def _require_cio(request: HttpRequest) -> None:
    if not permissions.can_apply(request.user):
        raise PermissionDenied("Only a chief information officer can apply to join Flex.")


def _url(step: str, *, changing: bool = False) -> str:
    url = reverse(f"applications:{step}")
    return f"{url}?change=1" if changing and step != CHECK else url


@login_required
@require_http_methods(["GET"])
def application_start(request: HttpRequest) -> HttpResponse:
    """The start page. A quote's query string replaces any answers in progress; otherwise
    answers already given are kept, so coming back here loses nothing."""
    _require_cio(request)
    organisation = request.user.organisation
    open_application = selectors.organisation_open_application(organisation_id=organisation.pk)
    answers = answers_load(request.session)
    from_quote = is_quote_query(request.GET)
    if from_quote:
        answers = answers_from_quote(request.GET, list(service_list()))
    integration = request.GET.get("kind") == ContractKind.INTEGRATION
    if answers is None or (integration and answers.contract_kind != ContractKind.INTEGRATION):
        answers = JourneyAnswers(
            contract_kind=ContractKind.INTEGRATION if integration else "platform"
        )
    # A member's CIO applying for a new organisation (formed by a merger, say).
    if request.GET.get("for") == "new" and answers.organisation != "new":
        answers = JourneyAnswers(organisation="new")
    platform = contract_selectors.organisation_platform_contract(organisation_id=organisation.pk)
    if (
        platform is not None
        and answers.contract_kind != ContractKind.INTEGRATION
        and answers.organisation != "new"
    ):
        # A member changes its contract, or asks for a separate integration call-off: it
        # cannot sign a second platform contract by applying again.
        return render(
            request,
            "applications/journey/member.html",
            {
                "organisation": organisation,
                "platform": platform,
                "open_application": open_application,
            },
        )
    answers_save(request.session, answers)
    return render(
        request,
        "applications/journey/start.html",
        {
            "organisation": organisation,
            "open_application": open_application,
            "from_quote": from_quote and bool(answers.seats),
            "next_url": _url(answers.first_unanswered() or CHECK),
            "in_progress": answers != JourneyAnswers(contract_kind=answers.contract_kind),
            "integration": answers.contract_kind == ContractKind.INTEGRATION,
        },
    )


def _question(
    request: HttpRequest,
    *,
    step: str,
    make_form: Callable[..., object],
    initial: Callable[[JourneyAnswers], dict],
    save: Callable[[JourneyAnswers, object], None],
    title: str,
    caption: str = "Apply to join Flex",
) -> HttpResponse:
    _require_cio(request)
    answers = answers_load(request.session)
    if answers is None:
        return redirect("applications:application-start")
    first_missing = answers.first_unanswered()
    if not answers.applies(step):
        return redirect(_url(first_missing or CHECK))
    if first_missing is not None and STEPS.index(first_missing) < STEPS.index(step):
        return redirect(_url(first_missing))
    changing = request.GET.get("change") == "1"
    if request.method == "POST":
        form = make_form(data=request.POST)
        if form.is_valid():
            save(answers, form)
            answers_save(request.session, answers)
            if changing:
                return redirect(_url(answers.first_unanswered() or CHECK, changing=True))
            return redirect(_url(answers.next_after(step)))
    else:
        form = make_form(initial=initial(answers))
    previous = answers.previous_before(step)
    back_url = (
        _url(CHECK)
        if changing
        else (_url(previous) if previous else reverse("applications:application-start"))
    )
    return render(
        request,
        "applications/journey/question.html",
        {"form": form, "title": title, "caption": caption, "back_url": back_url},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_step(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation if permissions.is_cio(request.user) else None

    def save(answers: JourneyAnswers, form: OrganisationChoiceForm) -> None:
        answers.organisation = form.cleaned_data["organisation"]
        if answers.organisation != OrganisationChoiceForm.NEW:
            answers.new_organisation = None

    return _question(
        request,
        step="journey-organisation",
        make_form=lambda **kw: OrganisationChoiceForm(organisation=organisation, **kw),
        initial=lambda a: {"organisation": a.organisation or OrganisationChoiceForm.OWN},
        save=save,
        title="Which organisation are you applying for?",
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_organisation_step(request: HttpRequest) -> HttpResponse:
    predecessors = list(
        scope_organisations(request.user, Organisation.objects.all()).order_by("name")
    )

    def save(answers: JourneyAnswers, form: NewOrganisationForm) -> None:
        answers.new_organisation = {
            "name": form.cleaned_data["name"],
            "kind": form.cleaned_data["kind"],
            "staff": form.cleaned_data["staff"],
            "desktops": form.cleaned_data["desktops"],
            "predecessors": list(form.cleaned_data["predecessors"]),
        }

    return _question(
        request,
        step="journey-new-organisation",
        make_form=lambda **kw: NewOrganisationForm(predecessors=predecessors, **kw),
        initial=lambda a: dict(a.new_organisation or {}),
        save=save,
        title="Tell us about the new organisation",
    )


@login_required
@require_http_methods(["GET", "POST"])
def services_step(request: HttpRequest) -> HttpResponse:
    answers = answers_load(request.session)
    integration = answers is not None and answers.contract_kind == ContractKind.INTEGRATION
    offered = [s for s in service_list() if not integration or s.category == Category.INTEGRATION]

    def save(answers: JourneyAnswers, form: ServicesForm) -> None:
        answers.seats = form.seats()

    return _question(
        request,
        step="journey-services",
        make_form=lambda **kw: ServicesForm(services=offered, **kw),
        initial=lambda a: {SEATS_PREFIX + slug: seats for slug, seats in a.seats.items()},
        save=save,
        title="How many seats of each service do you need?",
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_step(request: HttpRequest) -> HttpResponse:
    return _question(
        request,
        step="journey-term",
        make_form=TermForm,
        initial=lambda a: {"term_years": a.term_years},
        save=lambda a, form: setattr(a, "term_years", form.cleaned_data["term_years"]),
        title="How many years do you want the contract to run for?",
    )


@login_required
@require_http_methods(["GET", "POST"])
def start_date_step(request: HttpRequest) -> HttpResponse:
    return _question(
        request,
        step="journey-start-date",
        make_form=StartDateForm,
        initial=lambda a: {"requested_start": a.requested_start_date},
        save=lambda a, form: setattr(
            a, "requested_start", form.cleaned_data["requested_start"].isoformat()
        ),
        title="When do you want the service to start?",
    )


@login_required
@require_http_methods(["GET", "POST"])
def current_cost_step(request: HttpRequest) -> HttpResponse:
    def save(answers: JourneyAnswers, form: CurrentCostForm) -> None:
        cost = form.cleaned_data["current_cost_per_seat"]
        answers.current_cost_per_seat = str(cost) if cost is not None else None
        answers.current_cost_answered = True

    return _question(
        request,
        step="journey-current-cost",
        make_form=CurrentCostForm,
        initial=lambda a: {"current_cost_per_seat": a.current_cost_per_seat},
        save=save,
        title="How much do you pay per desktop seat a year today?",
    )


# --- check your answers -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def check_answers(request: HttpRequest) -> HttpResponse:
    _require_cio(request)
    answers = answers_load(request.session)
    if answers is None:
        return redirect("applications:application-start")
    if (missing := answers.first_unanswered()) is not None:
        return redirect(_url(missing))
    offered = {s.slug: s for s in service_list()}
    errors: list[tuple[str, str]] = [
        (
            f"{slug} is no longer offered: change your services",
            _url("journey-services", changing=True),
        )
        for slug in answers.seats
        if slug not in offered
    ]
    chosen = [(offered[slug], seats) for slug, seats in answers.seats.items() if slug in offered]
    chosen.sort(key=lambda pair: (pair[0].kind, pair[0].name))
    unusual = services.unusual_seats(
        lines=[services.LineInput(service=service, seats=seats) for service, seats in chosen],
        applicant=_applicant(request, answers),
    )
    confirmed = request.POST.get(CONFIRM_SEATS_FIELD) == "yes"
    if request.method == "POST" and not errors:
        try:
            application = _submit(request, answers, offered, confirm_unusual_seats=confirmed)
        except ValidationError as exc:
            errors = _error_links(exc)
        except services.TransitionNotAllowed as exc:
            errors = [(str(exc), reverse("applications:application-list"))]
        else:
            answers_clear(request.session)
            return redirect(
                "applications:application-confirmation", reference=application.reference
            )
    quote = quote_for(
        lines=chosen, term_years=answers.term_years, current_cost_per_seat=answers.current_cost
    )
    return render(
        request,
        "applications/journey/check.html",
        {
            "answers": answers,
            "organisation": request.user.organisation,
            "new_organisation": _new_organisation_summary(request, answers),
            "quote": quote,
            "errors": errors,
            "unusual_seats": unusual,
            "confirm_seats": {
                "field": CONFIRM_SEATS_FIELD,
                "id": CONFIRM_SEATS_ID,
                "legend": CONFIRM_SEATS_LEGEND,
                "label": CONFIRM_SEATS_LABEL,
                "checked": confirmed,
                "error": CONFIRM_SEATS_MISSING
                if any(message == CONFIRM_SEATS_MISSING for message, _ in errors)
                else None,
            },
            "change": {
                step.removeprefix("journey-").replace("-", "_"): _url(step, changing=True)
                for step in STEPS
            },
            "back_url": _url(STEPS[-1]),
        },
        status=400 if errors else 200,
    )


def _applicant(request: HttpRequest, answers: JourneyAnswers) -> services.Applicant:
    """Who the seats are for: the new organisation described, or the CIO's own."""
    new = answers.new_organisation if answers.organisation == "new" else None
    if new:
        return services.Applicant(staff=new["staff"], desktops=new["desktops"], is_member=False)
    return services.Applicant.of(request.user.organisation)


def _submit(
    request: HttpRequest,
    answers: JourneyAnswers,
    offered: dict[str, Service],
    *,
    confirm_unusual_seats: bool,
):
    new = answers.new_organisation if answers.organisation == "new" else None
    with transaction.atomic():
        application = services.application_create(
            actor=request.user,
            lines=[
                services.LineInput(service=offered[slug], seats=seats)
                for slug, seats in answers.seats.items()
            ],
            term_years=answers.term_years,
            requested_start=answers.requested_start_date,
            current_cost_per_seat=answers.current_cost,
            confirm_unusual_seats=confirm_unusual_seats,
            contract_kind=answers.contract_kind,
            new_organisation=services.NewOrganisationInput(
                name=new["name"],
                kind=new["kind"],
                staff=new["staff"],
                desktops=new["desktops"],
                predecessors=tuple(
                    scope_organisations(
                        request.user, Organisation.objects.filter(slug__in=new["predecessors"])
                    )
                ),
            )
            if new
            else None,
        )
        return services.application_submit(application=application, actor=request.user)


def _error_links(exc: ValidationError) -> list[tuple[str, str]]:
    """Each message with a link to the question it is about, else to this page. Unusual seats
    are asked about on this page, once however many lines are unusual."""
    links: list[tuple[str, str]] = []
    for field, message in service_error_items(exc):
        if field == CONFIRM_SEATS_FIELD:
            link = (CONFIRM_SEATS_MISSING, f"{_url(CHECK)}#{CONFIRM_SEATS_ID}")
        elif field is None:
            link = (message, _url(CHECK))
        else:
            link = (message, _url(FIELD_STEPS.get(field, CHECK), changing=True))
        if link not in links:
            links.append(link)
    return links


def _new_organisation_summary(request: HttpRequest, answers: JourneyAnswers) -> dict | None:
    if answers.organisation != "new" or not answers.new_organisation:
        return None
    data = answers.new_organisation
    names = list(
        scope_organisations(
            request.user, Organisation.objects.filter(slug__in=data["predecessors"])
        ).values_list("name", flat=True)
    )
    return {**data, "kind_label": OrganisationKind(data["kind"]).label, "predecessor_names": names}
