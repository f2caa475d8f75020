from django.urls import path

from . import views

app_name = "rollout"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("going-live/", views.going_live, name="going-live"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/save-as-template/", views.plan_save_as_template, name="save-as-template"),
    path("<int:pk>/waves/<int:wave_pk>/", views.wave_edit, name="wave-edit"),
]
