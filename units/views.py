import rules
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
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


@require_GET
def unit_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    # The unit page gathers what each app knows about the unit; imported here because the
    # campaigns app builds on this one.
    from campaigns.attainment import unit_attainment
    from campaigns.selectors import (
        campaign_active,
        unit_participates,
        unit_registrations,
        unit_report_rows,
    )

    unit = get_unit_for_reader(request, code)
    today = timezone.localdate()
    context = {"unit": unit, "today": today}
    campaign = campaign_active(today=today)
    if campaign is not None and unit_participates(unit=unit, campaign=campaign):
        years = list(range(campaign.starts_on.year, campaign.ends_on.year + 1))
        try:
            year = int(request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, years[0]), years[-1])
        context.update(
            campaign=campaign,
            years=years,
            year=year,
            report_rows=unit_report_rows(unit=unit, campaign=campaign, today=today),
            registrations=unit_registrations(unit=unit, campaign=campaign),
            attainment=unit_attainment(campaign=campaign, unit_id=unit.pk, year=year),
            can_write=rules.has_perm("campaigns.write_unit_reports", request.user, unit),
        )
    return render(request, "units/unit_detail.html", context)
