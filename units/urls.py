from django.urls import path

from units import views

# The unit pages; the page of one unit joins this namespace in campaigns/unit_urls.py.
app_name = "units"
urlpatterns = [
    path("", views.unit_list_view, name="list"),
]
