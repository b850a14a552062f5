import math

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from units.forms import PreferencesForm, UnitFilterForm
from units.models import Notification, Unit
from units.selectors import notification_list, unit_detail, unit_list
from units.services import (
    notification_mark_read,
    notifications_mark_all_read,
    user_preferences_save,
)


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The language a user chose follows them to any browser they log in from.
        return _remember_language(response, form.get_user().language)


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """What a sign-in refused by the throttle gets (axes' AXES_LOCKOUT_CALLABLE), from this
    login page or the admin's: the login page again with the reason, as 429. The wait counts
    from this last attempt."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    reason = ngettext(
        "Too many failed attempts to log in to this account from your connection. Try again "
        "in %(minutes)d minute, or ask the administrator to unlock the account.",
        "Too many failed attempts to log in to this account from your connection. Try again "
        "in %(minutes)d minutes, or ask the administrator to unlock the account.",
        minutes,
    ) % {"minutes": minutes}
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {"form": form, "locked_out": reason, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def get_unit_for_reader(request: HttpRequest, code: str) -> Unit:
    """The one access helper for unit pages: 404 for a unit the user may not read."""
    try:
        unit = unit_detail(code=code)
    except Unit.DoesNotExist:
        raise Http404 from None
    if not rules.has_perm("units.read_unit", request.user, unit):
        raise Http404
    return unit


@require_GET
def unit_list_view(request: HttpRequest) -> HttpResponse:
    if not rules.has_perm("units.browse_units", request.user):
        raise Http404
    form = UnitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = unit_list(
        query=filters.get("q") or "",
        kind=filters.get("kind") or "",
        bloc_code=filters["bloc"].code if filters.get("bloc") else "",
        include_closed=bool(filters.get("show_closed")),
    )
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    template = "units/unit_list.html#results" if request.htmx else "units/unit_list.html"
    return render(request, template, {"form": form, "page": page})


# --- The user's own pages: notifications and preferences ------------------------------------

BELL_ID = "notification-bell"


@login_not_required
@require_GET
def notifications_view(request: HttpRequest) -> HttpResponse:
    """The inbox page; the bell in the header polls it for its own partial.

    It is open to anonymous requests only so that a bell left polling after the session ended
    is told to stop (htmx stops polling on 286) instead of receiving the login page.
    """
    if not request.user.is_authenticated:
        if request.htmx:
            return HttpResponse(status=286)
        return redirect_to_login(request.get_full_path())
    if request.htmx and request.htmx.target == BELL_ID:
        return render(request, "units/notifications.html#bell")
    page = Paginator(notification_list(user=request.user), 30).get_page(request.GET.get("page"))
    template = "units/notifications.html#list" if request.htmx else "units/notifications.html"
    return render(request, template, {"page": page})


def _own_notification(request: HttpRequest, notification_id: int) -> Notification:
    """The one access helper for notifications: someone else's answers 404."""
    return get_object_or_404(Notification, pk=notification_id, recipient=request.user)


@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = notification_mark_read(notification=_own_notification(request, notification_id))
    if request.POST.get("open"):
        # Following a notification marks it read, then goes where it points (inside the site).
        target = notification.url
        if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = "me:notifications"
        return redirect(target)
    if request.htmx:
        return render(
            request, "units/notifications.html#read", {"notification": notification, "oob": True}
        )
    return redirect("me:notifications")


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user)
    if request.htmx:
        page = Paginator(notification_list(user=request.user), 30).get_page(1)
        return render(request, "units/notifications.html#all_read", {"page": page, "oob": True})
    messages.success(request, _("All notifications are marked as read."))
    return redirect("me:notifications")


@require_http_methods(["GET", "POST"])
def preferences_view(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            user = user_preferences_save(
                user=request.user,
                language=form.cleaned_data["language"],
                email_notifications=form.cleaned_data["email_notifications"],
            )
            translation.activate(user.language)
            messages.success(request, _("Your preferences were saved."))
            return _remember_language(redirect("me:preferences"), user.language)
        return render(request, "units/preferences.html", {"form": form}, status=422)
    return render(request, "units/preferences.html", {"form": form})
