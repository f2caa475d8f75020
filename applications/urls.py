from django.urls import path

from .views import applications, changes, journey

app_name = "applications"

urlpatterns = [
    path("", applications.application_list, name="application-list"),
    path("new/", journey.application_start, name="application-start"),
    path("new/organisation/", journey.organisation_step, name="journey-organisation"),
    path(
        "new/organisation/details/",
        journey.new_organisation_step,
        name="journey-new-organisation",
    ),
    path("new/services/", journey.services_step, name="journey-services"),
    path("new/term/", journey.term_step, name="journey-term"),
    path("new/start-date/", journey.start_date_step, name="journey-start-date"),
    path("new/current-cost/", journey.current_cost_step, name="journey-current-cost"),
    path("new/check/", journey.check_answers, name="journey-check"),
    path("changes/<reference:reference>/", changes.change_detail, name="change-detail"),
    path("changes/<reference:reference>/approve/", changes.change_approve, name="change-approve"),
    path("changes/<reference:reference>/reject/", changes.change_reject, name="change-reject"),
    path(
        "changes/<reference:reference>/withdraw/", changes.change_withdraw, name="change-withdraw"
    ),
    path("<reference:reference>/", applications.application_detail, name="application-detail"),
    path(
        "<reference:reference>/confirmation/",
        applications.application_confirmation,
        name="application-confirmation",
    ),
    path(
        "<reference:reference>/submit/", applications.application_submit, name="application-submit"
    ),
    path(
        "<reference:reference>/withdraw/",
        applications.application_withdraw,
        name="application-withdraw",
    ),
    path(
        "<reference:reference>/approve/",
        applications.application_approve,
        name="application-approve",
    ),
    path(
        "<reference:reference>/reject/", applications.application_reject, name="application-reject"
    ),
]
