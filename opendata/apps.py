from django.apps import AppConfig


class OpendataConfig(AppConfig):
    """Open contracting data: the framework's call-off contracts as OCDS 1.1 and CSV."""

    name = "opendata"
    verbose_name = "Open data"
