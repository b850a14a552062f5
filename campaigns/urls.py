from django.urls import path

from campaigns import views
from campaigns.views import dashboard, follow_up, registrations, reports

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list_view, name="list"),
    path("dashboard/", dashboard.dashboard_current, name="dashboard_current"),
    path("<slug:code>/", views.campaign_detail_view, name="detail"),
    path("<slug:code>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("<slug:code>/dashboard/export.xlsx", dashboard.dashboard_export, name="dashboard_export"),
    path(
        "<slug:code>/dashboard/units/<slug:unit_code>/",
        dashboard.dashboard_unit,
        name="dashboard_unit",
    ),
    path("<slug:code>/units/", views.campaign_participants_view, name="participants"),
    path("<slug:code>/follow-up/", follow_up.follow_up_page, name="follow_up"),
    path(
        "<slug:code>/follow-up/<int:period_id>/remind/",
        follow_up.nudge,
        name="nudge",
    ),
    path(
        "<slug:campaign_code>/units/<slug:unit_code>/registration/<int:year>/",
        registrations.registration_page,
        name="registration",
    ),
    path(
        "<slug:campaign_code>/units/<slug:unit_code>/registration/<int:year>/submit/",
        registrations.registration_submit,
        name="registration_submit",
    ),
    path(
        "<slug:campaign_code>/units/<slug:unit_code>/registration/<int:year>/confirm/",
        registrations.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "<slug:campaign_code>/units/<slug:unit_code>/registration/<int:year>/send-back/",
        registrations.registration_send_back,
        name="registration_send_back",
    ),
]

# Reports hang off /reports/ so their URLs stay short on a phone.
report_urlpatterns = [
    path(
        "units/<slug:unit_code>/periods/<int:period_id>/",
        reports.report_for_period,
        name="report_for_period",
    ),
    path(
        "units/<slug:unit_code>/periods/<int:period_id>/start/",
        reports.report_start,
        name="report_start",
    ),
    path("<int:report_id>/", reports.report_page, name="report"),
    path("<int:report_id>/lines/<int:line_id>/", reports.line_save, name="line_save"),
    path("<int:report_id>/values/<int:value_id>/", reports.value_save, name="value_save"),
    path(
        "<int:report_id>/lines/<int:line_id>/evidence/",
        reports.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "<int:report_id>/evidence/<int:evidence_id>/",
        reports.evidence_download,
        name="evidence_download",
    ),
    path(
        "<int:report_id>/evidence/<int:evidence_id>/delete/",
        reports.evidence_delete,
        name="evidence_delete",
    ),
    path("<int:report_id>/submit/", reports.report_submit, name="report_submit"),
    path("<int:report_id>/accept/", reports.report_accept, name="report_accept"),
    path("<int:report_id>/return/", reports.report_return, name="report_return"),
    path("<int:report_id>/reopen/", reports.report_reopen, name="report_reopen"),
]
