from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    """The app that held organisations and sign-up applications until they moved to
    `organisations` and `applications`. It keeps only its migrations, so that a database made
    before the move is carried over without losing a row (see docs/architecture.md); it has no
    code and no models."""

    name = "departments"
    verbose_name = "Departments (moved)"
