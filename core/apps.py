from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Shared pieces"

    def ready(self) -> None:
        # Before any URLconf is read: every app's URLs may use `<reference:...>`.
        from django.urls import register_converter

        from .converters import ReferenceConverter

        register_converter(ReferenceConverter, "reference")

        # Celery tasks carry the request id of the request that published them.
        from .logging import request_id_connect_celery

        request_id_connect_celery()
