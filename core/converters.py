"""Path converters shared by every app's URLs.

`<reference:reference>` matches only the characters references are made of (core.references:
`FLEX-2026-0007`, `CON-2026-0012`): anything else, such as a NUL byte that PostgreSQL refuses
in a query, matches no route and is a 404 before any view or query runs. The schema publishes
the same pattern for the path parameter.
"""

from __future__ import annotations


class ReferenceConverter:
    regex = "[A-Za-z0-9-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
