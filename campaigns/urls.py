from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list_view, name="list"),
    path("<slug:code>/", views.campaign_detail_view, name="detail"),
    path("<slug:code>/units/", views.campaign_participants_view, name="participants"),
]
