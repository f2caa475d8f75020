"""`{% load formatting %}`: money, counts and status tags as every page shows them.

`{{ price|money }}` → "£2,142.68" (a true minus sign below zero), `{{ amount|money_abs }}`
without the sign, `{{ change|signed_money }}` → "+£1.50", `{{ n|seats }}` (or `number`) →
"4,100", `{{ share|percent }}` → "14.6%", and `{{ status|status_tag_class }}` → the GOV.UK tag
colour of a status (used by templates/includes/status_tag.html).
"""

from __future__ import annotations

from django import template

from core import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("money_abs", formatting.money_abs)
register.filter("signed_money", formatting.signed_money)
register.filter("seats", formatting.seats)
register.filter("number", formatting.seats)
register.filter("percent", formatting.percent)

# GOV.UK tag colours of every status a page shows as a tag: applications, contracts and
# rollout waves (whose colours match the rollout timeline's bars). No two kinds share a value.
STATUS_TAG_CLASS = {
    # applications
    "draft": "govuk-tag--grey",
    "submitted": "govuk-tag--blue",
    "approved": "govuk-tag--green",
    "rejected": "govuk-tag--red",
    "withdrawn": "govuk-tag--yellow",
    # contracts (and "draft", as above)
    "active": "govuk-tag--green",
    "ended": "govuk-tag--blue",
    # rollout waves
    "planned": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "done": "govuk-tag--green",
    "blocked": "govuk-tag--red",
}


@register.filter
def status_tag_class(status: str) -> str:
    return STATUS_TAG_CLASS.get(status, "govuk-tag--grey")
