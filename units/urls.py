from django.urls import path

from units import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list_view, name="list"),
    path("<slug:code>/", views.unit_detail_view, name="detail"),
]
