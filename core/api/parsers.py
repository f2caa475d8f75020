"""The API's one JSON parser: DRF's, with the size and nesting of a body bounded before it is
decoded.

Python's `json` recurses once per level of nesting, so a body of a thousand nested arrays raises
`RecursionError` (a 500) however small it is. No request the API takes nests more than a few
levels, so anything deeper, or larger than Django's own bound on a request body
(`DATA_UPLOAD_MAX_MEMORY_SIZE`), is refused with 400 before `json` sees it. (DRF reads a JSON
body through `request.body`, which applies Django's bound first: `exception_handler` answers
that refusal with the same 400.)
"""

from __future__ import annotations

import re

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

# The API's deepest input is an object in a list in an object (an application's lines); this
# leaves room for any input to come.
MAX_DEPTH = 20

# A JSON string (escapes included; unterminated, to the end of the text) or a bracket that
# opens or closes a level. Read left to right, each character once: an unterminated string
# must match too, or a search would restart at every quote inside it (quadratic time).
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


def nesting_depth(text: str, *, stop_above: int) -> int:
    """How deep the arrays and objects of `text` nest, brackets inside strings aside; counting
    stops once past `stop_above`. Text that is not JSON gives some number: the decoder will
    refuse it anyway."""
    depth = deepest = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_above:
                    break
        elif token in "]}":
            depth -= 1
    return deepest


def too_big_message() -> str:
    return f"The request body must be {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes or smaller."


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing (400) a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` bytes or
    nested over `MAX_DEPTH` levels before decoding it."""

    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        max_bytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(max_bytes + 1) if max_bytes is not None else stream.read()
        if max_bytes is not None and len(body) > max_bytes:
            raise ParseError(too_big_message())
        try:
            text = body.decode(parsers.get_encoding(parser_context or {}))
        except UnicodeError:
            raise ParseError(
                "JSON parse error - the body is not in the declared charset."
            ) from None
        if nesting_depth(text, stop_above=self.max_depth) > self.max_depth:
            raise ParseError(
                f"JSON parse error - arrays and objects may nest at most {self.max_depth} levels deep."
            )
        try:
            return json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
