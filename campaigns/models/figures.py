"""Maintained figures: the roll-ups the dashboards read, kept up to date by every write that
changes them (campaigns/services/figures.py), never recomputed on read.

- IndicatorFigure: a unit's attainment of one indicator as of a period (the year's values up
  to that period rolled up against the year's target); only for units expected to report then.
- ObjectiveFigure: a unit's weighted attainment of one objective as of a period.
- UnitFigure: one row per unit expected to report for a period: whether (and whether late) its
  report first came in, and its overall attainment as of that period.
- YearFigure: a unit's year-end attainment of one indicator, whether or not it was still
  expected at the year's end (what the awards read).
- SectorFigure and PeriodFigure: the sums of the rows above over every unit, per period ×
  indicator and per period (what the whole sector's dashboard reads: one row per figure shown
  rather than an aggregate over every unit). They are kept by adding what a write inserts and
  subtracting what it deletes, so a write touches only the rows of its own periods.

Rows hold no history and no meaning of their own: `manage.py rebuild_figures` recomputes them
all from the raw values.
"""

from __future__ import annotations

from django.db import models

from campaigns.models.campaigns import Campaign, Indicator, Objective, ReportingPeriod
from units.models import Unit

# Derived rows, rewritten in bulk: no foreign key constraint in the database (its per-row check
# cost more than writing the rows); Django still deletes them with what they point to.
DERIVED = {"related_name": "+", "db_constraint": False}


class IndicatorFigure(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, **DERIVED)
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, **DERIVED)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, **DERIVED)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, **DERIVED)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, **DERIVED)
    actual = models.FloatField(null=True)
    target = models.FloatField(null=True)
    ratio = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "indicator"], name="indicator_figure_unique"
            )
        ]
        indexes = [models.Index(fields=["unit", "period"], name="indicator_figure_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} × {self.indicator_id} as of {self.period_id}: {self.ratio}"


class ObjectiveFigure(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, **DERIVED)
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, **DERIVED)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, **DERIVED)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, **DERIVED)
    ratio = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "objective"], name="objective_figure_unique"
            )
        ]
        indexes = [models.Index(fields=["unit", "period"], name="objective_figure_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} × {self.objective_id} as of {self.period_id}: {self.ratio}"


class UnitFigure(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, **DERIVED)
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, **DERIVED)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, **DERIVED)
    reported = models.BooleanField(default=False)  # first submitted
    late = models.BooleanField(default=False)  # first submitted after the due date
    overall = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="unit_figure_unique")
        ]
        indexes = [
            models.Index(fields=["unit", "period"], name="unit_figure_unit"),
            models.Index(fields=["period", "overall", "unit"], name="unit_figure_overall"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} as of {self.period_id}: {self.overall}"


class YearFigure(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, **DERIVED)
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, **DERIVED)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, **DERIVED)
    actual = models.FloatField(null=True)
    target = models.FloatField(null=True)
    ratio = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "year", "unit", "indicator"], name="year_figure_unique"
            )
        ]
        indexes = [models.Index(fields=["unit", "year"], name="year_figure_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} × {self.indicator_id} in {self.year}: {self.ratio}"


class SectorFigure(models.Model):
    """Every unit's IndicatorFigure of one indicator as of a period, summed: how many units have
    a row (`units`), how many of them a ratio (`rated`) and the sum of those ratios. The sector's
    attainment of the indicator is ratio_sum / rated."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, **DERIVED)
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, **DERIVED)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, **DERIVED)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, **DERIVED)
    units = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    ratio_sum = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator"], name="sector_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} as of {self.period_id}: {self.ratio_sum} / {self.rated}"


class PeriodFigure(models.Model):
    """Every unit's UnitFigure of a period, counted: expected, reported (first submitted) and
    late. There is one row per period of the campaign, even with nobody expected: writes lock
    their periods' rows, in period order, before changing any sum."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, **DERIVED)
    period = models.OneToOneField(ReportingPeriod, on_delete=models.CASCADE, **DERIVED)
    expected = models.IntegerField(default=0)
    reported = models.IntegerField(default=0)
    late = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.period_id}: {self.reported} of {self.expected}, {self.late} late"
