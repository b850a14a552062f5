"""The public pages of publicity, under /public/ (no login)."""

from django.urls import path

from awards.views import publicity

app_name = "public"
urlpatterns = [
    path("", publicity.public_list_view, name="list"),
    path("<str:token>/", publicity.public_detail_view, name="detail"),
]
