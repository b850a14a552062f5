"""Every bloc view reaches its year through these: 404 for a bloc year (or a scoring) the
user may not read, so another bloc's pages cannot be probed."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from blocs.models import BlocYear, Scoring
from blocs.selectors.years import bloc_year_detail
from config.access import can
from units.models import Unit


def posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def get_year_for_reader(request: HttpRequest, code: str, year: int) -> BlocYear:
    try:
        bloc_year = bloc_year_detail(code=code, year=year)
    except BlocYear.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "blocs.read_year", bloc_year):
        raise Http404
    return bloc_year


def get_scoring_for_reader(request: HttpRequest, bloc_year: BlocYear, unit_code: str) -> Scoring:
    unit = get_object_or_404(Unit, code=unit_code)
    scoring = Scoring.objects.filter(bloc_year=bloc_year, unit=unit).select_related("unit").first()
    if scoring is None:
        if not bloc_year.members.filter(unit=unit).exists():
            raise Http404
        scoring = Scoring(bloc_year=bloc_year, unit=unit)  # not started: read as empty
    scoring.bloc_year = bloc_year
    if not can(request.user, "blocs.read_scoring", scoring):
        raise Http404
    return scoring
