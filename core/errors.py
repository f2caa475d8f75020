"""Refusals the services raise, shared by every app and turned into HTTP by one handler
(core.api.exception_handler): Django's PermissionDenied is 403, ValidationError 400."""


class Conflict(Exception):
    """The object's current state does not allow this (HTTP 409); nothing changed."""
