from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from units.forms import ThrottledAuthenticationForm, UnitFilterForm
from units.models import Unit
from units.selectors import unit_detail, unit_list


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The language a user chose follows them to any browser they log in from.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.get_user().language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response


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
    if not request.user.has_perm("units.read_unit", unit):
        raise Http404
    return unit


@require_GET
def unit_list_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("units.browse_units"):
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


@require_GET
def unit_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_reader(request, code)
    return render(request, "units/unit_detail.html", {"unit": unit})
