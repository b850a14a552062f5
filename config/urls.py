from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.views import favicon, healthz

admin.site.site_header = _("Industry and Trade Emulation — administration")
admin.site.site_title = _("Industry and Trade Emulation")
admin.site.index_title = _("Administration")

# The apps are wired by module name only: the project package imports none of them.
urlpatterns = [
    path("", include("campaigns.home_urls")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("", include("units.account_urls")),
    path("accounts/", include("accounts.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("reports/", include("campaigns.report_urls")),
    path("units/", include("campaigns.unit_urls")),
    path("awards/", include("awards.urls")),
    path("blocs/", include("blocs.urls")),
    path("public/", include("awards.public_urls")),
    path("me/", include("units.me_urls")),
    path("admin/", admin.site.urls),
]

handler500 = "config.views.server_error"
