"""OpenAPI post-processing: document the error responses every endpoint can give.

drf-spectacular describes the success responses it can infer; clients (and the schemathesis
run in CI) also need the errors of docs/interface.md: 400 `{"field": ["message"]}`, 401, 403, 404
and 409 `{"detail": "..."}`, and 429 when sign-in is locked out.
"""

from __future__ import annotations

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
