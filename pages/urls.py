from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("cookies/", views.cookies, name="cookies"),
    path("accessibility-statement/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/sent/", views.feedback_sent, name="feedback-sent"),
    path("feedback/responses/", views.feedback_responses, name="feedback-responses"),
    path("status/", views.service_status, name="status"),
]
