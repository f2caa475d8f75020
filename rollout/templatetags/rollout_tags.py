"""Small presentation helpers for rollout templates."""

from django import template

register = template.Library()

# GOV.UK tag colours, matching the timeline's bar colours.
STATUS_TAG_CLASS = {
    "planned": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "done": "govuk-tag--green",
    "blocked": "govuk-tag--red",
}


@register.filter
def status_tag_class(status: str) -> str:
    return STATUS_TAG_CLASS.get(status, "govuk-tag--grey")
