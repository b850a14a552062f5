"""The bloc pages: the list, a bloc's year (members, covenant, table, ranking, proposals), its
set-up by the board secretary, the covenant, the scoring table and the exports."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.documents.blocks import DOCX, XLSX
from blocs import documents, indicators
from blocs.forms import BlocYearForm, CommitmentForm, CriterionForm, GroupForm, ImportForm
from blocs.models import BlocYear, Commitment, Criterion, CriterionGroup
from blocs.selectors.ranking import TIE_BREAK_RULE, ranking, sheets, table
from blocs.selectors.years import (
    meeting_of,
    members,
    published_rankings,
    scorings_by_unit,
    signatures,
    visible_blocs,
)
from blocs.services.table import (
    criterion_add,
    criterion_remove,
    group_add,
    table_copy_last_year,
    table_export,
    table_import,
)
from blocs.services.years import (
    bloc_year_save,
    commitment_add,
    commitment_remove,
    covenant_sign,
    member_candidates,
)
from blocs.views.access import get_year_for_reader, posted
from config.access import can, error_message, require
from units.models import EmulationBloc, Unit
from units.roles import roles_of


def year_url(bloc_year: BlocYear, name: str = "year") -> str:
    return reverse(f"blocs:{name}", args=[bloc_year.bloc.code, bloc_year.year])


def refused(request: HttpRequest, error: ValidationError, url: str) -> HttpResponse:
    messages.error(request, error_message(error))
    return redirect(url)


@require_GET
def bloc_list(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    blocs = list(visible_blocs(roles).prefetch_related("years"))
    return render(
        request,
        "blocs/bloc_list.html",
        {
            "blocs": blocs,
            "can_manage": can(request.user, "blocs.manage_year"),
            "this_year": timezone.localdate().year,
        },
    )


@require_GET
def bloc_latest(request: HttpRequest, code: str) -> HttpResponse:
    bloc = get_object_or_404(EmulationBloc, code=code)
    latest = bloc.years.order_by("-year").first()
    if latest is None:
        if can(request.user, "blocs.manage_year"):
            return redirect("blocs:setup", code, timezone.localdate().year)
        raise Http404
    get_year_for_reader(request, code, latest.year)
    return redirect("blocs:year", code, latest.year)


def _visible_sheets(request, bloc_year: BlocYear, groups):
    """The scorings the user may read on the bloc page, with their totals."""
    all_sheets = sheets(bloc_year, groups=groups)
    return [sheet for sheet in all_sheets if can(request.user, "blocs.read_scoring", sheet.scoring)]


@require_GET
def year_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    roles = roles_of(request.user)
    groups = table(bloc_year)
    sees_ranking = (
        bloc_year.is_published
        or can(request.user, "blocs.manage_year")
        or roles.sees_all_units
        or (bloc_year.leading_unit_id in (roles.officer_unit_ids | roles.head_unit_ids))
    )
    ranked = ranking(bloc_year, groups=groups) if sees_ranking else []
    unit_ids = roles.officer_unit_ids | roles.head_unit_ids
    member_units = members(bloc_year)
    meeting = meeting_of(bloc_year)
    return render(
        request,
        "blocs/year.html",
        {
            "bloc_year": bloc_year,
            "members": member_units,
            "signatures": signatures(bloc_year),
            "scorings": scorings_by_unit(bloc_year),
            "commitments": list(bloc_year.commitments.select_related("objective")),
            "groups": groups,
            "ranked": ranked,
            "tie_break": TIE_BREAK_RULE,
            "my_units": [unit for unit in member_units if unit.pk in unit_ids],
            "my_head_units": [unit for unit in member_units if unit.pk in roles.head_unit_ids],
            "can_manage": can(request.user, "blocs.manage_year"),
            "can_draft": can(request.user, "blocs.draft_covenant", bloc_year),
            "meeting": meeting,
            "items": list(meeting.items.select_related("unit", "award_type", "nomination"))
            if meeting
            else [],
            "commitment_form": CommitmentForm(campaign=bloc_year.campaign),
            "other_years": list(
                bloc_year.bloc.years.order_by("-year").values_list("year", flat=True)
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest, code: str, year: int) -> HttpResponse:
    require(request.user, "blocs.manage_year")
    bloc = get_object_or_404(EmulationBloc, code=code)
    if not 2000 <= year <= 2100:
        raise Http404
    existing = BlocYear.objects.filter(bloc=bloc, year=year).first()
    candidates = member_candidates(bloc, year)
    initial = None
    if existing is not None:
        initial = {
            "members": list(existing.members.values_list("unit_id", flat=True)),
            "leading_unit": existing.leading_unit_id,
            "deputy_unit": existing.deputy_unit_id,
            "campaign": existing.campaign_id,
            "scoring_deadline": existing.scoring_deadline,
        }
    else:
        initial = {"members": list(candidates.values_list("pk", flat=True))}
    form = BlocYearForm(posted(request), initial=initial, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bloc_year = bloc_year_save(
                bloc=bloc,
                year=year,
                leading_unit=data["leading_unit"],
                deputy_unit=data["deputy_unit"],
                members=data["members"],
                campaign=data["campaign"],
                scoring_deadline=data["scoring_deadline"],
                actor=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The bloc's year is set up."))
            return redirect(year_url(bloc_year))
    return render(
        request,
        "awards/form_page.html",
        {
            "form": form,
            "title": _("%(bloc)s — year %(year)s") % {"bloc": bloc.name, "year": year},
            "subtitle": _("Set up the bloc's year"),
            "back": reverse("blocs:list"),
        },
        status=422 if form.errors else 200,
    )


# --- The covenant ----------------------------------------------------------------------------


@require_POST
def commitment_add_view(request: HttpRequest, code: str, year: int) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    require(request.user, "blocs.draft_covenant", bloc_year)
    form = CommitmentForm(request.POST, campaign=bloc_year.campaign)
    url = year_url(bloc_year) + "#covenant"
    if not form.is_valid():
        messages.error(request, _("Write the commitment."))
        return redirect(url)
    try:
        commitment_add(
            bloc_year=bloc_year,
            text=form.cleaned_data["text"],
            objective=form.cleaned_data.get("objective"),
            actor=request.user,
        )
    except ValidationError as error:
        return refused(request, error, url)
    messages.success(request, _("Commitment added to the covenant."))
    return redirect(url)


@require_POST
def commitment_remove_view(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    require(request.user, "blocs.draft_covenant", bloc_year)
    commitment = get_object_or_404(Commitment, pk=pk, bloc_year=bloc_year)
    try:
        commitment_remove(commitment=commitment, actor=request.user)
    except ValidationError as error:
        return refused(request, error, year_url(bloc_year))
    messages.success(request, _("Commitment removed."))
    return redirect(year_url(bloc_year) + "#covenant")


@require_POST
def covenant_sign_view(request: HttpRequest, code: str, year: int) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    roles = roles_of(request.user)
    unit = get_object_or_404(Unit, code=request.POST.get("unit", ""))
    if not roles.is_head_of(unit):
        raise Http404
    try:
        covenant_sign(bloc_year=bloc_year, unit=unit, actor=request.user)
    except ValidationError as error:
        return refused(request, error, year_url(bloc_year))
    messages.success(request, _("%(unit)s has signed the covenant.") % {"unit": unit.name})
    return redirect(year_url(bloc_year) + "#covenant")


# --- The scoring table -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def table_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    require(request.user, "blocs.manage_year")
    groups_qs = CriterionGroup.objects.filter(bloc_year=bloc_year).order_by("number")
    group_form = GroupForm(prefix="group")
    criterion_form = CriterionForm(prefix="criterion", groups=groups_qs)
    import_result = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "group":
                group_form = GroupForm(request.POST, prefix="group")
                if group_form.is_valid():
                    group_add(bloc_year=bloc_year, actor=request.user, **group_form.cleaned_data)
                    messages.success(request, _("Group added."))
                    return redirect(year_url(bloc_year, "table"))
            elif action == "criterion":
                criterion_form = CriterionForm(request.POST, prefix="criterion", groups=groups_qs)
                if criterion_form.is_valid():
                    criterion_add(actor=request.user, **criterion_form.cleaned_data)
                    messages.success(request, _("Criterion added."))
                    return redirect(year_url(bloc_year, "table"))
            elif action == "copy":
                count = table_copy_last_year(bloc_year=bloc_year, actor=request.user)
                messages.success(
                    request, _("Last year's table copied: %(count)s criteria.") % {"count": count}
                )
                return redirect(year_url(bloc_year, "table"))
            elif action == "import":
                import_form = ImportForm(request.POST, request.FILES)
                if import_form.is_valid():
                    upload = import_form.cleaned_data["file"]
                    if upload.size > 2_000_000:
                        raise ValidationError(_("This file is too large for a scoring table."))
                    import_result = table_import(
                        bloc_year=bloc_year,
                        data=upload.read(),
                        dry_run=import_form.cleaned_data["dry_run"],
                        actor=request.user,
                    )
                    if import_result.imported:
                        messages.success(
                            request,
                            _("Table imported: %(count)s criteria.")
                            % {"count": len(import_result.rows)},
                        )
                        return redirect(year_url(bloc_year, "table"))
                    if import_result.errors:
                        status = 422
                else:
                    raise ValidationError(_("Choose a workbook (.xlsx) to import."))
            elif action == "remove":
                criterion = get_object_or_404(
                    Criterion, pk=request.POST.get("criterion"), group__bloc_year=bloc_year
                )
                criterion_remove(criterion=criterion, actor=request.user)
                messages.success(request, _("Criterion removed."))
                return redirect(year_url(bloc_year, "table"))
        except ValidationError as error:
            if hasattr(error, "error_dict") and action == "criterion":
                for field, errors in error.error_dict.items():
                    criterion_form.add_error(
                        field if field in criterion_form.fields else None, errors
                    )
            elif hasattr(error, "error_dict") and action == "group":
                for field, errors in error.error_dict.items():
                    group_form.add_error(field if field in group_form.fields else None, errors)
            else:
                messages.error(request, error_message(error))
                return redirect(year_url(bloc_year, "table"))
        if group_form.errors or criterion_form.errors:
            status = 422
    return render(
        request,
        "blocs/table.html",
        {
            "bloc_year": bloc_year,
            "groups": table(bloc_year),
            "group_form": group_form,
            "criterion_form": criterion_form,
            "import_form": ImportForm(),
            "import_result": import_result,
            "registry": indicators.REGISTRY.values(),
        },
        status=status,
    )


@require_GET
def table_xlsx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    response = HttpResponse(table_export(bloc_year), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bang-cham-diem-{code}-{year}.xlsx"'
    return response


@require_GET
def scores_xlsx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    groups = table(bloc_year)
    visible = {sheet.scoring.pk for sheet in _visible_sheets(request, bloc_year, groups)}
    ranked = ranking(bloc_year, groups=groups)
    rows = [sheet for sheet in ranked if sheet.scoring.pk in visible]
    data = documents.scores_workbook(bloc_year, rows, groups)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="diem-{code}-{year}.xlsx"'
    return response


@require_GET
def ranking_docx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    if not bloc_year.is_published and not can(request.user, "blocs.manage_year"):
        raise Http404
    response = HttpResponse(documents.ranking_report(bloc_year), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="xep-hang-{code}-{year}.docx"'
    return response


@require_GET
def rankings_fragment(request: HttpRequest) -> HttpResponse:
    """The published rankings of a year per bloc, filterable by bloc (the dashboard's part)."""
    roles = roles_of(request.user)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    bloc_code = request.GET.get("bloc", "")
    return render(
        request,
        "blocs/includes/rankings.html",
        {
            "year": year,
            "bloc_code": bloc_code,
            "blocs": visible_blocs(roles),
            "rankings": published_rankings(year=year, bloc_code=bloc_code, roles=roles),
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        },
    )


def today() -> datetime.date:
    return timezone.localdate()
