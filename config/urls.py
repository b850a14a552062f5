from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from awards.urls import public_urlpatterns
from campaigns.urls import report_urlpatterns
from campaigns.views import home
from config.views import favicon, healthz
from units.urls import me_urlpatterns
from units.views import LoginView, set_language

admin.site.site_header = _("Industry and Trade Emulation — administration")
admin.site.site_title = _("Industry and Trade Emulation")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("campaigns/", include("campaigns.urls")),
    path("reports/", include((report_urlpatterns, "reports"))),
    path("units/", include("units.urls")),
    path("awards/", include("awards.urls")),
    path("public/", include((public_urlpatterns, "public"))),
    path("me/", include((me_urlpatterns, "me"))),
    path("admin/", admin.site.urls),
]
