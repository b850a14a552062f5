"""A member's scoring: the self-scoring form (autosaved by htmx), submission, the
cross-check (a change only with a reason, shown to the unit), returning, and publishing the
ranking."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from blocs.forms import CheckForm, ReasonForm, ScoreForm
from blocs.models import Score, Scoring
from blocs.selectors.ranking import Sheet, compute, table
from blocs.services.scoring import (
    ranking_publish,
    refresh_computed,
    score_check,
    score_save,
    scoring_confirm,
    scoring_return,
    scoring_start,
    scoring_submit,
)
from blocs.views.access import get_scoring_for_reader, get_year_for_reader
from blocs.views.pages import refused, year_url
from config.access import can, error_message, require


def scoring_url(scoring: Scoring) -> str:
    return reverse(
        "blocs:scoring",
        args=[scoring.bloc_year.bloc.code, scoring.bloc_year.year, scoring.unit.code],
    )


def _history(scoring: Scoring) -> list:
    if scoring.pk is None:
        return []
    records = Score.history.filter(scoring_id=scoring.pk).select_related(
        "history_user", "criterion"
    )
    return list(records.order_by("-history_date")[:50])


@require_http_methods(["GET"])
def scoring_page(request: HttpRequest, code: str, year: int, unit_code: str) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    scoring = get_scoring_for_reader(request, bloc_year, unit_code)
    can_edit = can(request.user, "blocs.edit_scoring", scoring)
    if scoring.pk is None and can_edit:
        try:
            scoring = scoring_start(bloc_year=bloc_year, unit=scoring.unit)
        except ValidationError as error:
            return refused(request, error, year_url(bloc_year))
        scoring.bloc_year = bloc_year
    elif scoring.pk is not None and scoring.is_editable and can_edit:
        scoring_start(bloc_year=bloc_year, unit=scoring.unit)  # criteria added since
        refresh_computed(scoring)
    groups = table(bloc_year)
    scores = {score.criterion_id: score for score in scoring.scores.all()} if scoring.pk else {}
    sheet = compute(Sheet(scoring, scores), groups)
    return render(
        request,
        "blocs/scoring.html",
        {
            "bloc_year": bloc_year,
            "scoring": scoring,
            "sheet": sheet,
            "groups": groups,
            "scores": scores,
            "can_edit": can_edit and scoring.is_editable,
            "can_check": scoring.pk is not None
            and scoring.status == Scoring.Status.SUBMITTED
            and can(request.user, "blocs.check_scoring", scoring)
            and not bloc_year.is_published,
            "history": _history(scoring),
        },
    )


def _own_score(request, code, year, unit_code, pk) -> tuple[Scoring, Score]:
    bloc_year = get_year_for_reader(request, code, year)
    scoring = get_scoring_for_reader(request, bloc_year, unit_code)
    if scoring.pk is None:
        raise Http404
    score = get_object_or_404(Score.objects.select_related("criterion"), pk=pk, scoring=scoring)
    score.scoring = scoring
    return scoring, score


@require_POST
def score_save_view(
    request: HttpRequest, code: str, year: int, unit_code: str, pk: int
) -> HttpResponse:
    scoring, score = _own_score(request, code, year, unit_code, pk)
    require(request.user, "blocs.edit_scoring", scoring)
    form = ScoreForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Points are a number, e.g. 7.5.")
    else:
        try:
            score_save(
                score=score,
                points=form.cleaned_data["points"],
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
            )
        except ValidationError as refused_error:
            error = error_message(refused_error)
    if request.htmx:
        return render(
            request,
            "blocs/includes/score_status.html",
            {"score": score, "error": error},
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect(scoring_url(scoring))


@require_POST
def scoring_submit_view(request: HttpRequest, code: str, year: int, unit_code: str) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    scoring = get_scoring_for_reader(request, bloc_year, unit_code)
    require(request.user, "blocs.edit_scoring", scoring)
    if scoring.pk is None:
        raise Http404
    try:
        scoring_submit(scoring=scoring, actor=request.user)
    except ValidationError as error:
        return refused(request, error, scoring_url(scoring))
    messages.success(request, _("Scoring submitted to the leading unit."))
    return redirect(scoring_url(scoring))


@require_POST
def score_check_view(
    request: HttpRequest, code: str, year: int, unit_code: str, pk: int
) -> HttpResponse:
    scoring, score = _own_score(request, code, year, unit_code, pk)
    require(request.user, "blocs.check_scoring", scoring)
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Points are a number, e.g. 7.5."))
        return redirect(scoring_url(scoring))
    try:
        score_check(
            score=score,
            checked_points=form.cleaned_data["checked_points"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as error:
        return refused(request, error, scoring_url(scoring))
    messages.success(request, _("Cross-checked score saved."))
    return redirect(scoring_url(scoring) + f"#criterion-{score.criterion_id}")


@require_POST
def scoring_confirm_view(
    request: HttpRequest, code: str, year: int, unit_code: str
) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    scoring = get_scoring_for_reader(request, bloc_year, unit_code)
    require(request.user, "blocs.check_scoring", scoring)
    try:
        scoring_confirm(scoring=scoring, actor=request.user)
    except ValidationError as error:
        return refused(request, error, scoring_url(scoring))
    messages.success(request, _("Cross-check completed."))
    return redirect(year_url(bloc_year))


@require_POST
def scoring_return_view(request: HttpRequest, code: str, year: int, unit_code: str) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    scoring = get_scoring_for_reader(request, bloc_year, unit_code)
    require(request.user, "blocs.check_scoring", scoring)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the scoring goes back to the unit."))
        return redirect(scoring_url(scoring))
    try:
        scoring_return(scoring=scoring, reason=form.cleaned_data["reason"], actor=request.user)
    except ValidationError as error:
        return refused(request, error, scoring_url(scoring))
    messages.success(request, _("Scoring returned to the unit."))
    return redirect(year_url(bloc_year))


@require_POST
def publish_view(request: HttpRequest, code: str, year: int) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    require(request.user, "blocs.manage_year")
    try:
        ranking_publish(bloc_year=bloc_year, actor=request.user)
    except ValidationError as error:
        return refused(request, error, year_url(bloc_year))
    messages.success(request, _("Ranking published."))
    return redirect(year_url(bloc_year) + "#ranking")
