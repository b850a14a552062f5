from django.urls import path

from campaigns import views
from campaigns.views import dashboard, drafting, follow_up, registrations

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list_view, name="list"),
    path("dashboard/", dashboard.dashboard_current, name="dashboard_current"),
    path("new/", drafting.draft_new, name="draft_new"),
    path("<slug:code>/draft/", drafting.draft, name="draft"),
    path("<slug:code>/draft/objectives/", drafting.objective_add, name="objective_add"),
    path(
        "<slug:code>/draft/objectives/<int:number>/",
        drafting.objective_edit,
        name="objective_edit",
    ),
    path(
        "<slug:code>/draft/objectives/<int:number>/indicators/",
        drafting.indicator_add,
        name="indicator_add",
    ),
    path(
        "<slug:code>/draft/objectives/<int:number>/indicators/<int:pk>/remove/",
        drafting.indicator_remove,
        name="indicator_remove",
    ),
    path("<slug:code>/preview/", drafting.preview, name="preview"),
    path("<slug:code>/launch/", drafting.launch, name="launch"),
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
