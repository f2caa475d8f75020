"""The CIO's answers while applying, kept in the session until they submit.

Nothing is written to the database until the CIO submits on "Check your answers": the
application is then created and submitted in one transaction, so an abandoned journey leaves
no draft behind to block the organisation's next application.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.contrib.sessions.backends.base import SessionBase

from catalogue.models import Service
from catalogue.pricing import MAX_SEATS, MAX_TERM_YEARS, MIN_TERM_YEARS
from core.money import parse_pounds

from .forms import COST_MAX_WHOLE_DIGITS, SEATS_PREFIX

SESSION_KEY = "applications.application_journey"

# The question pages in order, by URL name; `journey-new-organisation` only for a new one.
STEPS = (
    "journey-organisation",
    "journey-new-organisation",
    "journey-services",
    "journey-term",
    "journey-start-date",
    "journey-current-cost",
)
CHECK = "journey-check"


@dataclass
class JourneyAnswers:
    organisation: str | None = None  # "own" or "new"
    new_organisation: dict | None = None  # name, kind, staff, desktops, predecessors (slugs)
    seats: dict[str, int] = field(default_factory=dict)  # service slug -> seats
    term_years: int | None = None
    requested_start: str | None = None  # ISO date
    current_cost_answered: bool = False
    current_cost_per_seat: str | None = None  # "2400.00"; None when not given
    contract_kind: str = "platform"  # or "integration": a separate integration call-off

    @property
    def requested_start_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.requested_start) if self.requested_start else None

    @property
    def current_cost(self) -> Decimal | None:
        return Decimal(self.current_cost_per_seat) if self.current_cost_per_seat else None

    def answered(self, step: str) -> bool:
        return {
            "journey-organisation": self.organisation is not None,
            "journey-new-organisation": self.organisation != "new"
            or self.new_organisation is not None,
            "journey-services": bool(self.seats),
            "journey-term": self.term_years is not None,
            "journey-start-date": self.requested_start is not None,
            "journey-current-cost": self.current_cost_answered,
        }[step]

    def applies(self, step: str) -> bool:
        return step != "journey-new-organisation" or self.organisation == "new"

    def first_unanswered(self) -> str | None:
        return next((s for s in STEPS if self.applies(s) and not self.answered(s)), None)

    def next_after(self, step: str) -> str:
        later = STEPS[STEPS.index(step) + 1 :]
        return next((s for s in later if self.applies(s)), CHECK)

    def previous_before(self, step: str) -> str | None:
        earlier = STEPS[: STEPS.index(step)]
        return next((s for s in reversed(earlier) if self.applies(s)), None)


def answers_load(session: SessionBase) -> JourneyAnswers | None:
    data = session.get(SESSION_KEY)
    if data is None:
        return None
    try:
        return JourneyAnswers(**data)
    except TypeError:  # left by an older version of the journey
        return None


def answers_save(session: SessionBase, answers: JourneyAnswers) -> None:
    session[SESSION_KEY] = asdict(answers)


def answers_clear(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


def answers_from_quote(query: Mapping[str, str], services: list[Service]) -> JourneyAnswers:
    """Answers prefilled from a quote's query string (`seats_<slug>`, `term_years`,
    `current_cost_per_seat`). Values that do not make sense are left for the CIO to answer."""
    answers = JourneyAnswers()
    for service in services:
        seats = _whole_number(query.get(SEATS_PREFIX + service.slug))
        if seats is not None and 1 <= seats <= MAX_SEATS:
            answers.seats[service.slug] = seats
    term = _whole_number(query.get("term_years"))
    if term is not None and MIN_TERM_YEARS <= term <= MAX_TERM_YEARS:
        answers.term_years = term
    cost = parse_pounds(
        query.get("current_cost_per_seat") or "", max_whole_digits=COST_MAX_WHOLE_DIGITS
    )
    if cost is not None:
        answers.current_cost_per_seat = str(cost)
        answers.current_cost_answered = True
    return answers


def is_quote_query(query: Mapping[str, str]) -> bool:
    return any(
        key.startswith(SEATS_PREFIX) or key in ("term_years", "current_cost_per_seat")
        for key in query
    )


def _whole_number(value: str | None) -> int | None:
    if not value:
        return None
    text = value.strip().replace(",", "").replace(" ", "")
    return int(text) if text.isdigit() and len(text) <= 9 else None
