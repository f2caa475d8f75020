"""GOV.UK pagination for any Django page of results, keeping the list's other query parameters."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


def query_string(params: dict[str, str], **changes) -> str:
    """`?a=1&b=2` from `params` with `changes` applied; empty values are dropped."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return f"?{urlencode(merged)}" if merged else ""


def govuk_pagination(page: Page, params: dict[str, str]) -> dict:
    """Context for templates/includes/pagination.html: numbered links with ellipses, and
    previous/next links, each carrying `params` (filters, sort) along."""
    paginator = page.paginator
    items = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {
                    "number": number,
                    "url": query_string(params, page=number),
                    "current": number == page.number,
                }
            )
    return {
        "items": items,
        "previous": (
            query_string(params, page=page.previous_page_number()) if page.has_previous() else None
        ),
        "next": query_string(params, page=page.next_page_number()) if page.has_next() else None,
    }


class CountedPaginator(Paginator):
    """A paginator told how many objects there are, by a query that counted them along with
    something else (a list's totals), so it does not count them again."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count
