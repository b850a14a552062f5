"""The dashboard's tables as a workbook, with the page's filters applied (a fixed number of
queries, like the page; every unit rather than one page of them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from campaigns.models import ProgressReport
from campaigns.selectors import dashboard as figures
from config.xlsx import add_sheet, new_workbook
from units.models import EmulationBloc, Unit

if TYPE_CHECKING:
    from campaigns.views.dashboard import State


def _pct(ratio) -> float | None:
    return None if ratio is None else round(ratio * 100, 1)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _bloc_name(code: str) -> str:
    if not code:
        return ""
    bloc = EmulationBloc.objects.filter(code=code).first()
    return bloc.localized("name") if bloc else code


def dashboard_workbook(state: State) -> Workbook:
    campaign, period, units = state.campaign, state.period, state.units
    objectives = state.objectives
    indicators = [indicator for o in objectives for indicator in o.indicators.all()]
    periods = state.trend_periods
    ended = figures.periods_ended(campaign, state.today)
    reporting = figures.reporting_by_period(campaign=campaign, periods=periods, units=units)
    attainment = figures.sector_figures(campaign=campaign, periods=periods, units=units)
    heat_rows, _page = figures.heat_map(
        campaign=campaign,
        period=period,
        units=units,
        objectives=objectives,
        sort=state.sort,
        descending=state.descending,
        every_unit=True,
    )
    not_reported = figures.units_not_reported(period=period, units=units)
    now = reporting[period.pk]
    current = attainment[period.pk]
    filters = state.filters
    status = dict(ProgressReport.Status.choices)

    workbook = new_workbook()
    add_sheet(
        workbook,
        _("Summary"),
        [_("Figure"), _("Value")],
        [
            (_("Campaign"), campaign.localized("title")),
            (_("Period"), period.label),
            (_("Due on"), period.due_on.strftime("%d/%m/%Y")),
            # Labels, as the page shows them, not the codes of the query string.
            (_("Kind"), dict(Unit.Kind.choices).get(filters.kind, "") or _("All kinds")),
            (_("Bloc"), _bloc_name(filters.bloc) or _("All blocs")),
            (_("Province"), filters.province or _("All provinces")),
            (_("Expected to report"), now.expected),
            (_("Reported"), now.reported),
            (_("On time"), now.on_time),
            (_("Late"), now.late),
            (_("Not yet reported"), now.not_yet),
            (_("Reporting rate (%)"), _pct(now.reporting_rate)),
            (_("On-time rate (%)"), _pct(now.on_time_rate)),
            (_("Overall attainment (%)"), _pct(current.overall)),
            (_("Exported on"), _when(timezone.now())),
        ],
    )
    add_sheet(
        workbook,
        _("Objectives"),
        [_("Number"), _("Objective"), _("Attainment (%)")],
        [(o.number, o.localized("title"), _pct(current.objectives.get(o.pk))) for o in objectives],
    )
    add_sheet(
        workbook,
        _("Indicators"),
        [_("Objective"), _("Code"), _("Indicator"), _("Attainment (%)"), _("Units measured")],
        [
            (
                indicator.objective.number,
                indicator.code,
                indicator.localized("name"),
                _pct(current.indicators.get(indicator.pk, (None, 0))[0]),
                current.indicators.get(indicator.pk, (None, 0))[1],
            )
            for indicator in indicators
        ],
    )
    add_sheet(
        workbook,
        _("Heat map"),
        [
            _("Code"),
            _("Unit"),
            _("Kind"),
            _("Bloc"),
            _("Province"),
            _("Report"),
            _("Late"),
            *(_("Objective %(number)s (%%)") % {"number": o.number} for o in objectives),
            _("Overall (%)"),
        ],
        [
            (
                row.unit.code,
                row.unit.localized("name"),
                row.unit.get_kind_display(),
                row.unit.bloc.localized("name") if row.unit.bloc else "",
                row.unit.province,
                status.get(row.unit.report_status, _("Not started")),
                _("yes") if row.unit.report_late else "",
                *(_pct(cell.ratio) for cell in row.cells),
                _pct(row.overall),
            )
            for row in heat_rows
        ],
    )
    add_sheet(
        workbook,
        _("Trend"),
        [
            _("Period"),
            _("Expected to report"),
            _("Reported"),
            _("On time"),
            _("Late"),
            _("Reporting rate (%)"),
            _("On-time rate (%)"),
            _("Attainment (%)"),
        ],
        [
            (
                p.label,
                reporting[p.pk].expected,
                reporting[p.pk].reported,
                reporting[p.pk].on_time,
                reporting[p.pk].late,
                _pct(reporting[p.pk].reporting_rate),
                _pct(reporting[p.pk].on_time_rate),
                _pct(attainment[p.pk].overall),
            )
            for p in ended
        ],
    )
    add_sheet(
        workbook,
        _("Not reported"),
        [
            _("Code"),
            _("Unit"),
            _("Kind"),
            _("Bloc"),
            _("Province"),
            _("Report"),
            _("Last reminder"),
        ],
        [
            (
                unit.code,
                unit.localized("name"),
                unit.get_kind_display(),
                unit.bloc.localized("name") if unit.bloc else "",
                unit.province,
                status.get(unit.report_status, _("Not started")),
                _when(unit.last_reminded_at),
            )
            for unit in not_reported
        ],
    )
    return workbook
