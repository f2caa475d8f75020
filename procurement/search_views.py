"""The organisation search behind the contracts page's filter: a small JSON list of names for
accessible-autocomplete to suggest (static/js/organisation-autocomplete.mjs). The filter itself
takes a typed name, so the page works without JavaScript and without this."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from contracts import selectors


def _page(value: str | None) -> int | None:
    if value is None:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= selectors.SUGGESTIONS_MAX_PAGE:
        return None
    return int(value)


@login_required
@require_GET
def organisation_suggestions(request: HttpRequest) -> JsonResponse:
    """`?q=<text>&page=<n>` → `{"results": [{"slug", "name"}], "page", "more"}`: organisations
    the user may filter contracts by, ten at a time. Bad input is a 400 with field errors."""
    text = request.GET.get("q", "")
    page = _page(request.GET.get("page"))
    errors = {}
    if len(text) > selectors.SUGGESTIONS_MAX_QUERY:
        errors["q"] = [f"Enter {selectors.SUGGESTIONS_MAX_QUERY} characters or fewer."]
    elif "\x00" in text:
        errors["q"] = ["Enter text without a null character."]
    if page is None:
        errors["page"] = [f"Enter a whole number from 1 to {selectors.SUGGESTIONS_MAX_PAGE}."]
    if errors:
        return JsonResponse(errors, status=400)
    found = selectors.organisation_suggestions(user=request.user, text=text, page=page)
    return JsonResponse(
        {
            "results": [{"slug": slug, "name": name} for slug, name in found.results],
            "page": found.page,
            "more": found.more,
        }
    )
