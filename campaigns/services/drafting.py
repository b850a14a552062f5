"""Drafting a campaign in the app and launching it: the board secretary's pages call these.

A draft is seen by the board only; it becomes the campaign the units report on when it is
launched, which checks the calendar, the tasks, the indicators and the participants first.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Indicator, Objective, Participation, ReportingPeriod
from campaigns.periods import period_spans
from campaigns.services.campaigns import campaign_generate_periods
from units.delivery import messages_post
from units.models import Unit, User

TITLE_LENGTH = 255
NUMBERING = re.compile(r"^\s*(?:(?:nhiệm vụ|task)\s*)?(?:\d+|[a-zđ])\s*[.):-]\s*", re.IGNORECASE)


def tasks_parse(text: str) -> list[str]:
    """The tasks pasted from a notice: one per paragraph when blank lines separate them, else
    one per line; leading numbering ("1.", "a)") and bullets are dropped."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return []
    chunks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    tasks = []
    for chunk in chunks:
        chunk = " ".join(chunk.split())
        chunk = NUMBERING.sub("", chunk.lstrip("-–•* ")).strip()
        if chunk:
            tasks.append(chunk)
    return tasks


def _title_of(task: str) -> str:
    if len(task) <= TITLE_LENGTH:
        return task
    return task[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


@dataclass
class Participants:
    """Which units take part: every unit matching a kind, a bloc or a province, plus picks."""

    kinds: tuple[str, ...] = ()
    bloc_ids: tuple[int, ...] = ()
    provinces: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()

    def units(self) -> list[Unit]:
        q = Q(pk__in=self.unit_ids)
        if self.kinds:
            q |= Q(kind__in=self.kinds)
        if self.bloc_ids:
            q |= Q(bloc_id__in=self.bloc_ids)
        if self.provinces:
            q |= Q(province__in=self.provinces)
        return list(
            Unit.objects.filter(q, closed_on__isnull=True)
            .exclude(kind=Unit.Kind.MINISTRY)
            .order_by("path")
        )


def _launcher() -> Unit:
    ministry = Unit.objects.filter(kind=Unit.Kind.MINISTRY).order_by("path").first()
    if ministry is None:
        from units.services import unit_ensure_ministry

        ministry = unit_ensure_ministry()
    return ministry


def calendar_problems(campaign: Campaign) -> list[str]:
    """What keeps the reporting calendar from fitting inside the campaign's dates."""
    problems = []
    if campaign.ends_on <= campaign.starts_on:
        return [_("A campaign must end after it starts.")]
    spans = list(period_spans(campaign.cadence, campaign.starts_on, campaign.ends_on))
    if not spans:
        problems.append(_("The calendar has no reporting period."))
    for span in spans:
        if span.ends_on > campaign.ends_on or span.starts_on < campaign.starts_on:
            problems.append(
                _(
                    "The period %(label)s (%(start)s–%(end)s) does not fit inside the campaign "
                    "(%(campaign_start)s–%(campaign_end)s): start and end the campaign with "
                    "a period, or choose another cadence."
                )
                % {
                    "label": span.label,
                    "start": formats.date_format(span.starts_on, "SHORT_DATE_FORMAT"),
                    "end": formats.date_format(span.ends_on, "SHORT_DATE_FORMAT"),
                    "campaign_start": formats.date_format(campaign.starts_on, "SHORT_DATE_FORMAT"),
                    "campaign_end": formats.date_format(campaign.ends_on, "SHORT_DATE_FORMAT"),
                }
            )
            break
    for label, day in (
        (_("The mid-term review"), campaign.midterm_review_on),
        (_("The final review"), campaign.final_review_on),
    ):
        if day is not None and not campaign.starts_on <= day <= campaign.ends_on:
            problems.append(
                _("%(what)s (%(day)s) falls outside the campaign's dates.")
                % {"what": label, "day": formats.date_format(day, "SHORT_DATE_FORMAT")}
            )
    return problems


def _check_draft(campaign: Campaign) -> None:
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(_("Only a draft can be changed here."), code="not_draft")


CAMPAIGN_FIELDS = (
    "code",
    "title",
    "title_en",
    "slogan",
    "document_ref",
    "launched_on",
    "notice_signer",
    "notice_issuer",
    "starts_on",
    "ends_on",
    "cadence",
    "grace_days",
    "lock_days",
    "midterm_review_on",
    "final_review_on",
)


@transaction.atomic
def campaign_draft_create(
    *, fields: dict, tasks: str, participants: Participants, actor: User | None
) -> Campaign:
    """A new draft with one objective per task pasted and its participating units.

    Refuses (ValidationError, nothing saved) an empty task list or a calendar that does not
    fit the dates.
    """
    task_list = tasks_parse(tasks)
    if not task_list:
        raise ValidationError(
            {"tasks": _("Paste at least one task of the notice, one per line or paragraph.")}
        )
    campaign = Campaign(
        status=Campaign.Status.DRAFT,
        launched_by=_launcher(),
        **{key: fields[key] for key in CAMPAIGN_FIELDS if key in fields},
    )
    problems = calendar_problems(campaign)
    if problems:
        raise ValidationError({"ends_on": problems})
    campaign.full_clean()
    campaign.save()
    for number, task in enumerate(task_list, start=1):
        Objective.objects.create(campaign=campaign, number=number, title=_title_of(task), text=task)
    campaign_participants_set(campaign=campaign, participants=participants)
    return campaign


@transaction.atomic
def campaign_draft_update(*, campaign: Campaign, fields: dict) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_draft(campaign)
    for key in CAMPAIGN_FIELDS:
        if key in fields and key != "code":
            setattr(campaign, key, fields[key])
    problems = calendar_problems(campaign)
    if problems:
        raise ValidationError({"ends_on": problems})
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_participants_set(*, campaign: Campaign, participants: Participants) -> int:
    """Replace a draft's participating units; answers how many take part."""
    _check_draft(campaign)
    units = participants.units()
    campaign.participations.exclude(unit__in=units).delete()
    already = set(campaign.participations.values_list("unit_id", flat=True))
    Participation.objects.bulk_create(
        Participation(campaign=campaign, unit=unit) for unit in units if unit.pk not in already
    )
    return len(units)


@transaction.atomic
def objective_save(
    *, campaign: Campaign, objective: Objective | None, title: str, text: str, weight: Decimal
) -> Objective:
    """Edit a task of a draft, or add one at the end."""
    _check_draft(campaign)
    if objective is None:
        last = campaign.objectives.order_by("-number").values_list("number", flat=True).first()
        objective = Objective(campaign=campaign, number=(last or 0) + 1)
    objective.title, objective.text, objective.weight = title, text or title, weight
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def objective_remove(*, campaign: Campaign, objective: Objective) -> None:
    _check_draft(campaign)
    objective.delete()


def _indicator_code(objective: Objective, name: str) -> str:
    base = slugify(f"{objective.campaign.code}-{objective.number}")[:30].strip("-")
    used = set(Indicator.objects.filter(code__startswith=base).values_list("code", flat=True))
    number = 1
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


INDICATOR_FIELDS = (
    "name",
    "name_en",
    "measure",
    "measure_en",
    "kind",
    "direction",
    "rollup",
    "weight",
)


@transaction.atomic
def indicator_add(*, objective: Objective, fields: dict) -> Indicator:
    _check_draft(objective.campaign)
    indicator = Indicator(
        objective=objective,
        code=_indicator_code(objective, fields.get("name", "")),
        order=objective.indicators.count() + 1,
        **{key: fields[key] for key in INDICATOR_FIELDS if key in fields},
    )
    indicator.full_clean()
    indicator.save()
    return indicator


def indicator_copy(*, objective: Objective, source: Indicator) -> Indicator:
    """A copy of another campaign's indicator (its kind, measure, direction, roll-up, weight)."""
    return indicator_add(
        objective=objective,
        fields={key: getattr(source, key) for key in INDICATOR_FIELDS},
    )


@transaction.atomic
def indicator_remove(*, objective: Objective, indicator: Indicator) -> None:
    _check_draft(objective.campaign)
    indicator.delete()


def launch_problems(campaign: Campaign) -> list[str]:
    """Everything that keeps a draft from being launched (empty when it may be)."""
    problems = list(calendar_problems(campaign))
    objectives = list(campaign.objectives.order_by("number").prefetch_related("indicators"))
    if not objectives:
        problems.append(_("The campaign has no task."))
    for objective in objectives:
        if not objective.indicators.all():
            problems.append(_("Task %(number)s has no indicator.") % {"number": objective.number})
    if not campaign.participations.exists():
        problems.append(_("No unit takes part in the campaign."))
    return problems


@transaction.atomic
def campaign_launch(*, campaign: Campaign, actor: User | None) -> list[ReportingPeriod]:
    """Open a draft: its periods are generated and every participating unit is told."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_draft(campaign)
    problems = launch_problems(campaign)
    if problems:
        raise ValidationError(problems, code="not_ready")
    periods = campaign_generate_periods(campaign=campaign)
    campaign.status = Campaign.Status.ACTIVE
    campaign._change_reason = "launched"
    campaign.save(update_fields=["status"])
    url = reverse("campaigns:detail", args=[campaign.code])
    recipients = User.objects.filter(
        is_active=True, memberships__unit__participations__campaign=campaign
    ).distinct()

    def write(user):
        return (
            _("New campaign: %(title)s") % {"title": campaign.title},
            _(
                "The campaign “%(title)s” is launched (%(notice)s). It runs from %(start)s to "
                "%(end)s; your unit takes part and reports on it here."
            )
            % {
                "title": campaign.title,
                "notice": campaign.document_ref or "—",
                "start": formats.date_format(campaign.starts_on, "SHORT_DATE_FORMAT"),
                "end": formats.date_format(campaign.ends_on, "SHORT_DATE_FORMAT"),
            },
            url,
        )

    messages_post(recipients=recipients, key=f"campaign-launched:{campaign.pk}", write=write)
    return periods


def campaign_close_if_over(*, campaign: Campaign, today: datetime.date) -> bool:
    """Close a running campaign once its last period has locked (the nightly task, and again
    when its page is read, so that a missed night changes nothing)."""
    if campaign.status != Campaign.Status.ACTIVE or today <= campaign.ends_on:
        return False
    last_lock = max((p.locks_on for p in campaign.periods.all()), default=None)
    if last_lock is None or today <= last_lock:
        return False
    updated = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.ACTIVE).update(
        status=Campaign.Status.CLOSED
    )
    campaign.status = Campaign.Status.CLOSED
    return bool(updated)


def campaigns_close_over(*, today: datetime.date) -> list[str]:
    """Close every running campaign whose last period has locked; returns their codes."""
    running = Campaign.objects.filter(
        status=Campaign.Status.ACTIVE, ends_on__lt=today
    ).prefetch_related("periods")
    return [c.code for c in running if campaign_close_if_over(campaign=c, today=today)]
