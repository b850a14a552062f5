"""The signed-in user's own pages, under /me/."""

from django.urls import path

from units import views

app_name = "me"
urlpatterns = [
    path("notifications/", views.notifications_view, name="notifications"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
    path("preferences/", views.preferences_view, name="preferences"),
]
