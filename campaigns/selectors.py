"""Every read a campaigns page needs, with its joins and aggregates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import (
    Campaign,
    Evidence,
    Indicator,
    IndicatorValue,
    Objective,
    Participation,
    ProgressReport,
    Registration,
    Reminder,
    ReportingPeriod,
    ReportLine,
    Target,
)
from units.models import Membership, Unit, User
from units.roles import BOARD_GROUP, SECRETARY_GROUP


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("launched_by").annotate(
        participant_count=Count("participations", distinct=True)
    )


def campaign_detail(*, code: str) -> Campaign:
    return (
        Campaign.objects.select_related("launched_by")
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.order_by("number").prefetch_related(
                    Prefetch("indicators", queryset=Indicator.objects.order_by("order", "code"))
                ),
            ),
            Prefetch("periods", queryset=ReportingPeriod.objects.order_by("starts_on")),
        )
        .get(code=code)
    )


def campaign_active(*, today: datetime.date) -> Campaign | None:
    return (
        Campaign.objects.select_related("launched_by")
        .filter(status=Campaign.Status.ACTIVE, starts_on__lte=today, ends_on__gte=today)
        .order_by("-starts_on")
        .first()
    )


def participant_counts(*, campaign: Campaign, on: datetime.date) -> dict[str, int]:
    """How many units take part, and how many of them exist on the given day."""
    open_units = Q(unit__opened_on__isnull=True) | Q(unit__opened_on__lte=on)
    not_closed = Q(unit__closed_on__isnull=True) | Q(unit__closed_on__gte=on)
    return campaign.participations.aggregate(
        total=Count("pk"), open_now=Count("pk", filter=open_units & not_closed)
    )


def participant_list(
    *, campaign: Campaign, kind: str = "", bloc_code: str = "", query: str = ""
) -> QuerySet[Participation]:
    participations = campaign.participations.select_related("unit", "unit__bloc")
    if kind:
        participations = participations.filter(unit__kind=kind)
    if bloc_code:
        participations = participations.filter(unit__bloc__code=bloc_code)
    if query:
        participations = participations.filter(
            Q(unit__name__icontains=query)
            | Q(unit__code__icontains=query)
            | Q(unit__province__icontains=query)
        )
    return participations.order_by("unit__bloc__name", "unit__path")


def period_state(period: ReportingPeriod, today: datetime.date) -> str:
    if today < period.starts_on:
        return "upcoming"
    if today > period.locks_on:
        return "locked"
    if today > period.due_on:
        return "overdue"
    return "open"


def periods_open(*, campaign: Campaign, today: datetime.date) -> QuerySet[ReportingPeriod]:
    """Periods a unit may still report on today, the most urgent (earliest due) first."""
    return campaign.periods.filter(starts_on__lte=today, locks_on__gte=today).order_by("due_on")


def units_of_user_in_campaign(*, campaign: Campaign, unit_ids: list[int]) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=unit_ids, participations__campaign=campaign).select_related(
        "bloc"
    )


# --- Who is expected to report ----------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRef:
    """A period named inside a query rather than loaded: the campaign and end date as expressions.

    `expected_filter` takes one where a query covers many periods at once: `PeriodRef.outer()`
    inside a subquery correlated to a queryset of periods, `PeriodRef.path(...)` for a period
    reached through a relation of the rows being filtered.
    """

    campaign: Any
    ends_on: Any

    @classmethod
    def outer(cls) -> PeriodRef:
        return cls(OuterRef("campaign_id"), OuterRef("ends_on"))

    @classmethod
    def path(cls, relation: str) -> PeriodRef:
        return cls(F(f"{relation}__campaign"), F(f"{relation}__ends_on"))


def expected_filter(period: ReportingPeriod | PeriodRef, prefix: str = "") -> Q:
    """Units expected to report for a period: participating, and in existence when it ends.

    A department closed on 30/06/2025 reports for Q2/2025 but not Q3/2025; one opened on
    01/07/2025 reports from Q3/2025 on. `prefix` lets the same rule filter related rows.
    """
    if isinstance(period, ReportingPeriod):
        campaign, ends_on = period.campaign_id, period.ends_on
    else:
        campaign, ends_on = period.campaign, period.ends_on
    return (
        Q(**{f"{prefix}participations__campaign": campaign})
        & (Q(**{f"{prefix}opened_on__isnull": True}) | Q(**{f"{prefix}opened_on__lte": ends_on}))
        & (Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": ends_on}))
    )


def units_expected(*, period: ReportingPeriod) -> QuerySet[Unit]:
    return Unit.objects.filter(expected_filter(period))


EXPECTED_PERIOD = "participations__campaign__periods"


def units_expected_in_periods(
    *, campaign: Campaign, period_ids: list[int], units: Q | None = None
) -> QuerySet[Unit]:
    """One row per unit × period it is expected to report for, among `units`.

    The period of each row is reached as `EXPECTED_PERIOD` (e.g. `.values(F(EXPECTED_PERIOD))`
    or grouped by it to count the expected units of each period).
    """
    return (
        Unit.objects.filter(units or Q())
        .filter(
            Q(participations__campaign=campaign, participations__campaign__periods__in=period_ids)
            & expected_filter(PeriodRef.path(EXPECTED_PERIOD))
        )
        .order_by()
    )


def unit_is_expected(unit: Unit, period: ReportingPeriod) -> bool:
    return (unit.opened_on is None or unit.opened_on <= period.ends_on) and (
        unit.closed_on is None or unit.closed_on >= period.ends_on
    )


# --- Reports ----------------------------------------------------------------------------------


def report_detail(*, report_id: int) -> ProgressReport:
    """The report with what its permissions need (one query); the rest of the page (campaign,
    who submitted and reviewed) is read only when the cached page has to be drawn again."""
    return ProgressReport.objects.select_related("unit", "period").get(pk=report_id)


def report_with_content(report: ProgressReport) -> ProgressReport:
    """Load the lines, files and values of a report_detail() report (three queries)."""
    prefetch_related_objects(
        [report],
        Prefetch(
            "lines",
            queryset=ReportLine.objects.select_related("objective", "updated_by")
            .order_by("objective__number")
            .prefetch_related(
                Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by"))
            ),
        ),
        Prefetch(
            "values",
            queryset=IndicatorValue.objects.select_related("indicator", "updated_by").order_by(
                "indicator__order", "indicator__code"
            ),
        ),
    )
    return report


def report_for(*, unit: Unit, period: ReportingPeriod) -> ProgressReport | None:
    return ProgressReport.objects.filter(unit=unit, period=period).first()


def targets_for(*, campaign_id: int, unit_id: int, year: int) -> dict[int, Decimal]:
    return dict(
        Target.objects.filter(
            registration__campaign_id=campaign_id,
            registration__unit_id=unit_id,
            registration__year=year,
        ).values_list("indicator_id", "value")
    )


@dataclass
class ObjectiveBlock:
    """A report line with the indicator values (and targets) of its objective."""

    line: ReportLine
    values: list[tuple[IndicatorValue, Decimal | None]]


def report_blocks(report: ProgressReport) -> list[ObjectiveBlock]:
    """Group a report_detail() report's values under their lines; one query for the targets."""
    targets = targets_for(
        campaign_id=report.period.campaign_id, unit_id=report.unit_id, year=report.period.year
    )
    values_by_objective: dict[int, list] = {}
    for value in report.values.all():
        values_by_objective.setdefault(value.indicator.objective_id, []).append(
            (value, targets.get(value.indicator_id))
        )
    return [
        ObjectiveBlock(line, values_by_objective.get(line.objective_id, []))
        for line in report.lines.all()
    ]


@dataclass
class HistoryEvent:
    when: datetime.datetime
    who: str
    subject: str
    action: str
    changes: list[tuple[str, str, str]]


_HIDDEN_FIELDS = {"version", "updated_at", "updated_by", "created_at", "file", "path"}


def _display(record, field: str) -> str:
    value = getattr(record, field)
    if value is None or value == "":
        return "—"
    display = getattr(record, f"get_{field}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _events(records, subject_of) -> list[HistoryEvent]:
    """Turn historical rows into events listing the fields each change touched."""
    events = []
    previous: dict[int, object] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        recorded = {f.name for f in type(record)._meta.fields}
        fields = [
            f.name
            for f in record.instance_type._meta.concrete_fields
            if f.name in recorded
            and f.name not in _HIDDEN_FIELDS
            and not f.primary_key
            and not f.is_relation
        ]
        changes = []
        if record.history_type == "~":
            # Without an earlier row (rows created in bulk before history), compare with empty.
            changes = [
                (
                    str(record.instance_type._meta.get_field(name).verbose_name),
                    _display(before, name) if before is not None else "—",
                    _display(record, name),
                )
                for name in fields
                if (getattr(before, name) if before is not None else None) != getattr(record, name)
                and not (before is None and getattr(record, name) in (None, ""))
            ]
            if not changes:
                previous[record.id] = record
                continue
        action = {"+": _("created"), "~": _("changed"), "-": _("deleted")}[record.history_type]
        user = record.history_user
        events.append(
            HistoryEvent(
                when=record.history_date,
                who=user.get_full_name() if user else str(_("the system")),
                subject=subject_of(record),
                action=str(action),
                changes=changes,
            )
        )
        previous[record.id] = record
    return events


def report_history(report: ProgressReport) -> list[HistoryEvent]:
    """Every change to the report, its lines, values and evidence, newest first (4 queries)."""
    lines = {line.pk: line for line in report.lines.all()}
    values = {value.pk: value for value in report.values.all()}
    report_rows = ProgressReport.history.filter(id=report.pk).select_related("history_user")
    line_rows = ReportLine.history.filter(report_id=report.pk).select_related("history_user")
    value_rows = IndicatorValue.history.filter(report_id=report.pk).select_related("history_user")
    evidence_rows = Evidence.history.filter(line_id__in=list(lines)).select_related("history_user")

    def line_subject(record) -> str:
        line = lines.get(record.id)
        number = line.objective.number if line else "?"
        return str(_("Objective %(number)s") % {"number": number})

    def value_subject(record) -> str:
        value = values.get(record.id)
        return value.indicator.localized("name") if value else str(_("Indicator"))

    def evidence_subject(record) -> str:
        return str(_("Evidence “%(name)s”") % {"name": record.original_name})

    events = (
        _events(report_rows, lambda record: str(_("Report")))
        + _events(line_rows, line_subject)
        + _events(value_rows, value_subject)
        + _events(evidence_rows, evidence_subject)
    )
    return sorted(events, key=lambda event: event.when, reverse=True)


# --- The unit page ----------------------------------------------------------------------------


@dataclass
class PeriodRow:
    period: ReportingPeriod
    report: ProgressReport | None
    state: str


def unit_report_rows(*, unit: Unit, campaign: Campaign, today: datetime.date) -> list[PeriodRow]:
    """The periods this unit is expected to report for, up to today, with its report (1 query)."""
    periods = (
        campaign.periods.filter(starts_on__lte=today)
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.filter(unit=unit),
                to_attr="unit_reports",
            )
        )
        .order_by("-starts_on")
    )
    return [
        PeriodRow(
            period,
            period.unit_reports[0] if period.unit_reports else None,
            period_state(period, today),
        )
        for period in periods
        if unit_is_expected(unit, period)
    ]


def unit_registrations(*, unit: Unit, campaign: Campaign) -> list[Registration]:
    return list(
        Registration.objects.filter(unit=unit, campaign=campaign)
        .select_related("confirmed_by")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.select_related(
                    "indicator", "indicator__objective"
                ).order_by("indicator__objective__number", "indicator__order"),
            )
        )
        .order_by("-year")
    )


def unit_participates(*, unit: Unit, campaign: Campaign) -> bool:
    return campaign.participations.filter(unit=unit).exists()


# --- Reminders and follow-up ------------------------------------------------------------------

RECEIVED = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED)


def units_missing(*, period: ReportingPeriod) -> QuerySet[Unit]:
    """Units expected to report for the period whose report has not come in.

    No report, a draft and a returned report all count as missing; submitted and accepted do
    not. Closed, not-yet-opened and non-participating units are never expected.
    """
    received = ProgressReport.objects.filter(period=period, status__in=RECEIVED).values("unit_id")
    return units_expected(period=period).exclude(pk__in=received)


@dataclass(frozen=True)
class Recipient:
    unit_id: int
    user_id: int
    email: str
    wants_email: bool


def unit_recipients(
    *, units: QuerySet[Unit] | list[int], roles: tuple[str, ...], heads_if_no_officer: bool = False
) -> list[Recipient]:
    """Active members of the units in the given roles, one row per unit and person (1 query).

    With heads_if_no_officer, a unit that has no active officer is reached through its head.
    """
    wanted = set(roles) | ({Membership.Role.HEAD} if heads_if_no_officer else set())
    rows = (
        Membership.objects.filter(unit__in=units, role__in=wanted, user__is_active=True)
        .order_by("unit_id", "user_id")
        .values_list("unit_id", "user_id", "role", "user__email", "user__email_notifications")
    )
    by_unit: dict[int, dict[str, list[Recipient]]] = {}
    for unit_id, user_id, role, email, wants_email in rows:
        by_unit.setdefault(unit_id, {}).setdefault(role, []).append(
            Recipient(unit_id, user_id, email or "", wants_email)
        )
    recipients: list[Recipient] = []
    for members in by_unit.values():
        chosen = [person for role in roles for person in members.get(role, [])]
        if not chosen and heads_if_no_officer:
            chosen = members.get(Membership.Role.HEAD, [])
        seen: set[int] = set()
        for person in chosen:
            if person.user_id not in seen:
                seen.add(person.user_id)
                recipients.append(person)
    return recipients


def board_recipients(*, secretaries: bool = True, members: bool = False) -> list[User]:
    groups = ([SECRETARY_GROUP] if secretaries else []) + ([BOARD_GROUP] if members else [])
    return list(
        User.objects.filter(groups__name__in=groups, is_active=True).distinct().order_by("pk")
    )


def periods_to_follow(*, campaign: Campaign, today: datetime.date) -> list[ReportingPeriod]:
    """Periods the secretary may chase today: started, not locked (most urgent first)."""
    return list(periods_open(campaign=campaign, today=today))


def last_reminder_sent(period: ReportingPeriod) -> Subquery:
    """When a reminder about the period's report last went out to the unit (OuterRef "pk")."""
    return Subquery(
        Reminder.objects.filter(
            unit=OuterRef("pk"),
            period=period,
            kind__in=Reminder.CHASING,
            state=Reminder.State.SENT,
        )
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )


def follow_up_rows(
    *, period: ReportingPeriod, kind: str = "", bloc_code: str = "", query: str = ""
) -> QuerySet[Unit]:
    """The missing units of a period with what the follow-up page shows (1 query a page).

    Each unit carries its report's status (none, draft, returned), its active officers and
    heads (a reminder reaches the officers, or the heads when there is no officer), when a
    reminder last went out and whether one is still waiting to go.
    """
    chasing = Reminder.objects.filter(
        unit=OuterRef("pk"), period=period, kind__in=Reminder.CHASING
    ).order_by()

    def members(role: str) -> Coalesce:
        counted = (
            Membership.objects.filter(unit=OuterRef("pk"), role=role, user__is_active=True)
            .order_by()
            .values("unit")
            .annotate(count=Count("user"))
            .values("count")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    units = (
        units_missing(period=period)
        .select_related("bloc")
        .annotate(
            report_status=Subquery(
                ProgressReport.objects.filter(unit=OuterRef("pk"), period=period).values("status")[
                    :1
                ]
            ),
            last_reminded=last_reminder_sent(period),
            reminder_waiting=Exists(chasing.filter(state=Reminder.State.QUEUED)),
            officers=members(Membership.Role.OFFICER),
            heads=members(Membership.Role.HEAD),
        )
    )
    if kind:
        units = units.filter(kind=kind)
    if bloc_code:
        units = units.filter(bloc__code=bloc_code)
    if query:
        units = units.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(province__icontains=query)
        )
    return units.order_by("path")


def follow_up_counts(*, period: ReportingPeriod) -> dict[str, int]:
    expected = units_expected(period=period)
    return {
        "expected": expected.count(),
        "received": ProgressReport.objects.filter(
            period=period, status__in=RECEIVED, unit__in=expected
        ).count(),
    }


def overdue_units(*, period: ReportingPeriod) -> list[Unit]:
    """For the escalation: every unit still missing, in the tree's order (1 query)."""
    return list(units_missing(period=period).select_related("parent").order_by("path"))


@dataclass
class DigestFigures:
    week_start: datetime.date
    week_end: datetime.date
    received: int
    late: int
    returned: int
    accepted: int
    late_reports: list[ProgressReport]
    returned_reports: list[ProgressReport]


DIGEST_LIST_LIMIT = 20


def digest_figures(
    *, campaign: Campaign, week_start: datetime.date, week_end: datetime.date
) -> DigestFigures:
    """What happened to the campaign's reports during a week, by their current state (3 queries).

    Received counts reports (re)submitted that week, late those among them first submitted
    after their due date; returned and accepted count reviews made that week that still stand.
    """
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(week_start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        week_end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    reports = ProgressReport.objects.filter(period__campaign=campaign)
    submitted = Q(submitted_at__gte=start, submitted_at__lt=end)
    reviewed = Q(reviewed_at__gte=start, reviewed_at__lt=end)
    figures = reports.aggregate(
        received=Count("pk", filter=submitted),
        late=Count("pk", filter=submitted & Q(late=True)),
        returned=Count("pk", filter=reviewed & Q(status=ProgressReport.Status.RETURNED)),
        accepted=Count("pk", filter=reviewed & Q(status=ProgressReport.Status.ACCEPTED)),
    )
    listed = reports.select_related("unit", "period").order_by("unit__path", "period__starts_on")
    return DigestFigures(
        week_start=week_start,
        week_end=week_end,
        late_reports=list(listed.filter(submitted & Q(late=True))[:DIGEST_LIST_LIMIT]),
        returned_reports=list(
            listed.filter(reviewed & Q(status=ProgressReport.Status.RETURNED))[:DIGEST_LIST_LIMIT]
        ),
        **figures,
    )


def reminder_for_delivery(*, reminder_id: int) -> Reminder:
    return Reminder.objects.select_related("campaign", "unit", "period", "recipient").get(
        pk=reminder_id
    )
