from django.urls import path

from campaigns import views
from campaigns.views import dashboard, follow_up, registrations

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
