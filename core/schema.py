"""OpenAPI post-processing: document the error responses every endpoint can give.

drf-spectacular describes the success responses it can infer; clients (and the schemathesis
run in CI) also need the errors of docs/interface.md: 400 `{"field": ["message"]}`, 401, 403, 404
and 409 `{"detail": "..."}`, and 429 when sign-in is locked out.
"""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework import serializers

ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": 'Field errors: `{"field": ["message", ...]}`; `non_field_errors` for the whole request.',
        "additionalProperties": {
            "oneOf": [
                {"type": "array", "items": {}},
                {"type": "object"},
                {"type": "string"},
            ]
        },
    },
}

DESCRIPTIONS = {
    "400": ("Invalid input: field errors", "ValidationError"),
    "401": ("Not signed in: send a session cookie or `Authorization: Token <key>`", "Error"),
    "403": ("Signed in, but this role may not do this", "Error"),
    "404": ("No such object (or not one the caller may see), or no such page", "Error"),
    "405": ("Method not allowed", "Error"),
    "406": ("Not acceptable: ask for a representation the endpoint offers", "Error"),
    "409": ("Not allowed in the object's current state", "Error"),
    "415": ("Unsupported media type: send JSON", "Error"),
    "429": ("Too many requests or sign-in attempts", "Error"),
}


def _ref(name: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def add_error_responses(result: dict, generator, request, public) -> dict:
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = ["400", "406", "405"]
            if operation.get("security") != [{}]:
                codes += ["401", "403"]
            # An object that is not there or not the caller's, or a page past the last one.
            codes.append("404")
            if method != "get":
                codes += ["409", "415"]
            if path.endswith("/auth/token/"):
                codes.append("429")
            responses = operation.setdefault("responses", {})
            for code in codes:
                description, schema = DESCRIPTIONS[code]
                responses.setdefault(code, {"description": description, "content": _ref(schema)})
    return result


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, also saying what DRF's lists enforce that it leaves out:
    `allow_empty=False` as `minItems: 1`, and a nested serializer list's `min_length` and
    `max_length` as `minItems` and `maxItems` (a ListField's are already there)."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not isinstance(schema, dict) or schema.get("type") != "array":
            return schema
        least = getattr(field, "min_length", None) or 0
        if getattr(field, "allow_empty", True) is False:
            least = max(least, 1)
        if least:
            schema["minItems"] = max(schema.get("minItems", 0), least)
        most = getattr(field, "max_length", None)
        if isinstance(field, serializers.ListSerializer) and most is not None:
            schema["maxItems"] = min(schema.get("maxItems", most), most)
        return schema


class FilterExtension(DjangoFilterExtension):
    """The filters of `core.api.filters.FilterBackend`, saying what a text filter takes: not
    empty (the backend refuses `?q=`), no NUL (Django's form fields refuse it) and no longer
    than the filter's `max_length`. An enum, a date or a number already excludes the rest."""

    target_class = "core.api.filters.FilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        # From the filter's arguments: building its `field` here would cache one made without a
        # request on the class (a ModelChoiceFilter's with no choices) for every later request.
        most = filter_field.extra.get("max_length")
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") != "string" or "enum" in schema or "format" in schema:
                continue
            schema["minLength"] = max(schema.get("minLength", 0), 1)
            schema.setdefault("pattern", "^[^\\u0000]*$")
            if most is not None:
                schema["maxLength"] = min(schema.get("maxLength", most), most)
        return parameters
