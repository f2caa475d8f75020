from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit view: every recorded change, for Cabinet Office staff and procurement."""

    name = "audit"
    verbose_name = "Audit"
