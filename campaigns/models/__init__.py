"""Every model of campaigns, by area: the campaign itself, registrations, progress reports and
reminders."""

from campaigns.models.campaigns import (
    Campaign,
    Indicator,
    Objective,
    Participation,
    ReportingPeriod,
    validate_reminder_days,  # named by the migrations, as is evidence_path
)
from campaigns.models.figures import (
    IndicatorFigure,
    ObjectiveFigure,
    PeriodFigure,
    SectorFigure,
    UnitFigure,
    YearFigure,
)
from campaigns.models.registrations import Registration, Target
from campaigns.models.reminders import Reminder
from campaigns.models.reports import (
    Evidence,
    IndicatorValue,
    ProgressReport,
    ReportLine,
    ReviewSections,
    evidence_path,
)
from units.models import LocalizedNameMixin  # a base class named by the migrations

__all__ = [
    "Campaign",
    "Evidence",
    "Indicator",
    "IndicatorFigure",
    "IndicatorValue",
    "LocalizedNameMixin",
    "Objective",
    "ObjectiveFigure",
    "Participation",
    "PeriodFigure",
    "ProgressReport",
    "Registration",
    "Reminder",
    "ReportLine",
    "ReportingPeriod",
    "ReviewSections",
    "SectorFigure",
    "Target",
    "UnitFigure",
    "YearFigure",
    "evidence_path",
    "validate_reminder_days",
]
