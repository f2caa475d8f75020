from django.urls import path

from . import views

urlpatterns = [
    path("rollouts/", views.RolloutListCreateApi.as_view(), name="api-rollout-list"),
    path("rollouts/<int:pk>/", views.RolloutDetailApi.as_view(), name="api-rollout-detail"),
    path(
        "rollouts/<int:pk>/waves/<int:wave_pk>/",
        views.RolloutWaveApi.as_view(),
        name="api-rollout-wave",
    ),
    path(
        "rollout-templates/",
        views.RolloutTemplateListApi.as_view(),
        name="api-rollout-template-list",
    ),
]
