from django.apps import AppConfig
from django.conf import settings


class RolloutConfig(AppConfig):
    name = "rollout"
    verbose_name = "Rollout planning"

    def ready(self) -> None:
        # Several apps have a field called "status"; drf-spectacular names each choice set
        # unambiguously only with an override, registered here with the app that owns it.
        overrides = settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})
        overrides.setdefault("WaveStatusEnum", "rollout.models.WaveStatus")
