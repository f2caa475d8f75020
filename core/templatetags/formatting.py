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
register.filter("signed_seats", formatting.signed_seats)
# Times as GOV.UK writes them: `{{ at|govuk_time }}` → "7:53am", `{{ at|govuk_datetime }}` →
# "1 December 2026, 7:53am", `{{ at|govuk_datetime:"short" }}` → "1 Dec 2026, 7:53am".
register.filter("govuk_time", formatting.time_of_day)
register.filter("govuk_datetime", formatting.date_time)
# `{{ saving_percent|compared_with }}` → "23.5% less than you pay today", or for a cost 17 times
# as high "about 17 times what you pay today"; `|compared_with:"it paid before"` for a contract.
register.filter("compared_with", formatting.compared_with)

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
    # notifications (the outbox)
    "queued": "govuk-tag--grey",
    "sending": "govuk-tag--light-blue",
    "sent": "govuk-tag--green",
    "failed": "govuk-tag--red",
}


@register.filter
def status_tag_class(status: str) -> str:
    return STATUS_TAG_CLASS.get(status, "govuk-tag--grey")
