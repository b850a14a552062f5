from django.urls import path

from units import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list_view, name="list"),
    path("<slug:code>/", views.unit_detail_view, name="detail"),
]

# The signed-in user's own pages, under /me/.
me_urlpatterns = [
    path("notifications/", views.notifications_view, name="notifications"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
    path("preferences/", views.preferences_view, name="preferences"),
]
