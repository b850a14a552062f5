"""The unit pages under /units/, one namespace `units`: the list is the units app's, the page of
one unit is this app's (it shows the unit's reports, registration and attainment). The
namespace is put together here because the units app may not import this one."""

from django.urls import path

from campaigns.views.units import unit_detail_view
from units import urls as units_urls

app_name = units_urls.app_name
urlpatterns = [
    *units_urls.urlpatterns,
    path("<slug:code>/", unit_detail_view, name="detail"),
]
