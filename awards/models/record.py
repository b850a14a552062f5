"""The nominee's record: task ratings, initiatives and the awards received, each belonging to a
person or to a unit (the `PersonOrUnit` base, which nominations share)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from awards.models.catalogue import AwardType
from units.models import Person, Unit

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
YEAR_RANGE = Q(year__gte=2000) & Q(year__lte=2100)


class NomineeMixin:
    """The nominee of a row that belongs to a person xor a unit. Plain Python, apart from the
    model base below: the migrations name it as a base of the four models' states."""

    @property
    def nominee(self) -> Person | Unit:
        return self.person if self.person_id else self.unit

    @property
    def nominee_is_person(self) -> bool:
        return self.person_id is not None


def owner_keys(
    *, related_name: str, on_delete=models.CASCADE
) -> tuple[models.ForeignKey, models.ForeignKey]:
    """The `person` and `unit` keys of a `PersonOrUnit` model, both optional."""
    return (
        models.ForeignKey(
            Person,
            verbose_name=_("person"),
            on_delete=on_delete,
            null=True,
            blank=True,
            related_name=related_name,
        ),
        models.ForeignKey(
            Unit,
            verbose_name=_("unit"),
            on_delete=on_delete,
            null=True,
            blank=True,
            related_name=related_name,
        ),
    )


class PersonOrUnit(NomineeMixin, models.Model):
    """The abstract base of the rows that belong to a person xor a unit: task ratings,
    initiatives, awards received and nominations.

    Each model declares its two keys with `person, unit = owner_keys(...)` (in place, so the
    fields keep their order) because the reverse names and what deleting the owner does differ
    per model, and extends this `Meta`, whose check (named `<model>_person_xor_unit`) keeps
    exactly one of them set.
    """

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="%(class)s_person_xor_unit",
                violation_error_message=_(
                    "Give either a person or a unit, not both and not neither."
                ),
            )
        ]

    @staticmethod
    def owned_by(*, person: Person | None, unit: Unit | None) -> Q:
        """The rows of a nominee: the person's when one is given, else the unit's."""
        return Q(person=person) if person is not None else Q(unit=unit)


class TaskRating(PersonOrUnit):
    """Xếp loại hoàn thành nhiệm vụ: a person's or a unit's rating for one year."""

    class Rating(models.TextChoices):
        EXCELLENT = "HTXS", _("Hoàn thành xuất sắc nhiệm vụ (HTXS)")
        GOOD = "HTT", _("Hoàn thành tốt nhiệm vụ (HTT)")
        COMPLETED = "HT", _("Hoàn thành nhiệm vụ (HT)")
        NOT_COMPLETED = "KHT", _("Không hoàn thành nhiệm vụ (KHT)")

    class DisciplineLevel(models.TextChoices):
        # In increasing severity: the rules compare by position in this list.
        REPRIMAND = "reprimand", _("Khiển trách")
        WARNING = "warning", _("Cảnh cáo")
        SALARY_REDUCTION = "salary_reduction", _("Hạ bậc lương")
        DEMOTION = "demotion", _("Giáng chức")
        REMOVAL = "removal", _("Cách chức")
        DISMISSAL = "dismissal", _("Buộc thôi việc")

    person, unit = owner_keys(related_name="task_ratings")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    rating = models.CharField(_("rating"), max_length=4, choices=Rating.choices)
    disciplined = models.BooleanField(_("disciplined"), default=False)
    discipline_level = models.CharField(
        _("discipline level"), max_length=20, choices=DisciplineLevel.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta(PersonOrUnit.Meta):
        ordering = ["-year"]
        verbose_name = _("task rating")
        verbose_name_plural = _("task ratings")
        constraints = [
            *PersonOrUnit.Meta.constraints,
            models.UniqueConstraint(
                fields=["person", "year"],
                condition=Q(person__isnull=False),
                name="taskrating_unique_person_year",
                violation_error_message=_("This person already has a rating for that year."),
            ),
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(unit__isnull=False),
                name="taskrating_unique_unit_year",
                violation_error_message=_("This unit already has a rating for that year."),
            ),
            models.CheckConstraint(
                condition=(Q(disciplined=False) & Q(discipline_level=""))
                | (Q(disciplined=True) & ~Q(discipline_level="")),
                name="taskrating_discipline_level_iff_disciplined",
                violation_error_message=_(
                    "Give the discipline level when, and only when, the rating is disciplined."
                ),
            ),
            models.CheckConstraint(condition=YEAR_RANGE, name="taskrating_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.nominee} — {self.year}: {self.rating}"

    @classmethod
    def severity(cls, level: str) -> int:
        """Position of a discipline level in increasing severity; -1 for none."""
        values = list(cls.DisciplineLevel.values)
        return values.index(level) if level in values else -1


class Initiative(PersonOrUnit):
    """Sáng kiến: a recognised improvement. It can support only one nomination (one award)."""

    class Scope(models.TextChoices):
        # In increasing reach: a wider scope also satisfies a rule asking for a narrower one.
        BASE = "base", _("Cơ sở")
        MINISTRY = "ministry", _("Cấp Bộ")
        NATIONAL = "national", _("Toàn quốc")

    title = models.CharField(_("title"), max_length=500)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    recognised_on = models.DateField(_("recognised on"))
    recognised_by = models.CharField(
        _("recognition decision"),
        max_length=255,
        blank=True,
        help_text=_("Number and issuer of the decision recognising it."),
    )
    person, unit = owner_keys(related_name="initiatives")
    # A foreign key, not a many-to-many: the database itself keeps an initiative to at most
    # one nomination.
    used_by = models.ForeignKey(
        "Nomination",
        verbose_name=_("relied on by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
    )
    used_on = models.DateField(
        _("used on"),
        null=True,
        blank=True,
        help_text=_("Date of the decision (or forwarding) that used it for an award."),
    )

    history = HistoricalRecords()

    class Meta(PersonOrUnit.Meta):
        ordering = ["-recognised_on", "title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            *PersonOrUnit.Meta.constraints,
            models.UniqueConstraint(
                fields=["person", "title"],
                condition=Q(person__isnull=False),
                name="initiative_unique_person_title",
                violation_error_message=_("This person already has an initiative of that title."),
            ),
            models.UniqueConstraint(
                fields=["unit", "title"],
                condition=Q(unit__isnull=False),
                name="initiative_unique_unit_title",
                violation_error_message=_("This unit already has an initiative of that title."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def reach(cls, scope: str) -> int:
        values = list(cls.Scope.values)
        return values.index(scope) if scope in values else -1


class AwardGrant(PersonOrUnit):
    """Award history: year | award | decision number and date | issuer."""

    person, unit = owner_keys(related_name="award_grants")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="grants"
    )
    decision_number = models.CharField(
        _("decision number"), max_length=60, blank=True, help_text=_("e.g. 123/QĐ-BCT")
    )
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    # Set when the grant comes from a decision recorded here: revoking the decision removes it
    # (the audit history keeps it). Rows imported from paper records have neither.
    decision = models.ForeignKey(
        "Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
    )
    nomination = models.ForeignKey(
        "Nomination",
        verbose_name=_("nomination"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
    )

    history = HistoricalRecords()

    class Meta(PersonOrUnit.Meta):
        ordering = ["-year", "award_type__order"]
        verbose_name = _("award received")
        verbose_name_plural = _("award history")
        constraints = [
            *PersonOrUnit.Meta.constraints,
            models.UniqueConstraint(
                fields=["person", "award_type", "year", "decision_number"],
                condition=Q(person__isnull=False),
                name="awardgrant_unique_person",
                violation_error_message=_("This award is already in the person's history."),
            ),
            models.UniqueConstraint(
                fields=["unit", "award_type", "year", "decision_number"],
                condition=Q(unit__isnull=False),
                name="awardgrant_unique_unit",
                violation_error_message=_("This award is already in the unit's history."),
            ),
            models.CheckConstraint(condition=YEAR_RANGE, name="awardgrant_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.nominee} — {self.award_type.short_name} {self.year}"


class OpenMatter(PersonOrUnit):
    """An investigation, inspection, complaint or discipline procedure concerning a nominee.

    While it is open (no `closed_on`) it blocks every award of the nominee, whatever year it
    concerns (NĐ 152/2025 Art 4). A complaint raised in a public comment during publicity can
    be turned into one by the secretary (`source_comment`).
    """

    class Kind(models.TextChoices):
        DISCIPLINE = "discipline", _("Discipline under consideration")
        INVESTIGATION = "investigation", _("Investigation")
        INSPECTION = "inspection", _("Inspection")
        COMPLAINT = "complaint", _("Complaint or denunciation")

    person, unit = owner_keys(related_name="open_matters", on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("what it is about"), max_length=500)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(
        _("resolved on"), null=True, blank=True, help_text=_("Empty while it is still open.")
    )
    resolution = models.TextField(_("how it was resolved"), blank=True, max_length=5_000)
    source_comment = models.ForeignKey(
        "PublicComment",
        verbose_name=_("raised in the public comment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matters",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta(PersonOrUnit.Meta):
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("open matter")
        verbose_name_plural = _("investigations, inspections and complaints")
        constraints = [
            *PersonOrUnit.Meta.constraints,
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="openmatter_closes_after_opening",
                violation_error_message=_("A matter cannot be resolved before it was opened."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(resolution=""),
                name="openmatter_resolved_has_resolution",
                violation_error_message=_("Say how the matter was resolved."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee} — {self.get_kind_display()} ({self.opened_on:%d/%m/%Y})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
