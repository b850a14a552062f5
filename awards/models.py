"""Commendations: the award catalogue, the nominee's record, nominations and their review."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import LocalizedNameMixin, Person, Unit

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
YEAR_RANGE = Q(year__gte=2000) & Q(year__lte=2100)


def _person_xor_unit(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(person__isnull=False) & Q(unit__isnull=True))
        | (Q(person__isnull=True) & Q(unit__isnull=False)),
        name=f"{prefix}_person_xor_unit",
        violation_error_message=_("Give either a person or a unit, not both and not neither."),
    )


class NomineeMixin:
    """Rows that belong to a person xor a unit (ratings, initiatives, awards, nominations)."""

    @property
    def nominee(self) -> Person | Unit:
        return self.person if self.person_id else self.unit

    @property
    def nominee_is_person(self) -> bool:
        return self.person_id is not None


class AwardType(LocalizedNameMixin, models.Model):
    """One title or form of commendation of the Law on Emulation and Commendation.

    The catalogue is loaded by a data migration. Values the reference marks as unconfirmed
    ([U]) are listed in `unconfirmed`; only those can be changed in the admin.
    """

    class Kind(models.TextChoices):
        TITLE = "title", _("Danh hiệu thi đua")
        FORM = "form", _("Hình thức khen thưởng")

    class Recipient(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        COLLECTIVE = "collective", _("Collective")
        BOTH = "both", _("Individual or collective")

    class DecidedBy(models.TextChoices):
        UNIT_HEAD = "unit_head", _("Head of the unit")
        MINISTER = "minister", _("Minister of Industry and Trade")
        PRIME_MINISTER = "prime_minister", _("Prime Minister")
        PRESIDENT = "president", _("President")

    # The policy values an administrator may adjust when the reference marks them [U].
    ADJUSTABLE = (
        "decided_by",
        "secret_ballot",
        "ballot_threshold_percent",
        "publicity_working_days",
        "rule_codes",
        "rule_params",
    )

    code = models.CharField(_("code"), max_length=20, unique=True)
    short_name = models.CharField(_("abbreviation"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    recipient = models.CharField(_("awarded to"), max_length=12, choices=Recipient.choices)
    decided_by = models.CharField(
        _("decided by"),
        max_length=20,
        choices=DecidedBy.choices,
        help_text=_(
            "Awards decided by the Prime Minister or the President are prepared by the Ministry "
            "and forwarded."
        ),
    )
    secret_ballot = models.BooleanField(
        _("secret ballot required"),
        default=False,
        help_text=_("Whether the council must vote on it by secret ballot (NĐ 98 Art 30.7)."),
    )
    ballot_threshold_percent = models.PositiveSmallIntegerField(
        _("approval threshold (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Share of ALL council members (not of those present) who must approve, in whole "
            "percent, e.g. 90. Empty when the law sets no threshold."
        ),
    )
    publicity_working_days = models.PositiveSmallIntegerField(
        _("publicity (working days)"),
        default=0,
        help_text=_(
            "Working days the nominee list is published for comment before the council meets; "
            "0 means no publicity is required."
        ),
    )
    rule_codes = models.JSONField(
        _("eligibility rules"),
        default=list,
        blank=True,
        help_text=_(
            "Codes of the eligibility rules checked for this award; the general rules (initiative "
            "used once, nothing pending) are always checked."
        ),
    )
    rule_params = models.JSONField(
        _("rule parameters"),
        default=dict,
        blank=True,
        help_text=_('Whole-number parameters of the rules, e.g. {"ldtt_min_percent": 70}.'),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    unconfirmed = models.JSONField(
        _("unconfirmed values"),
        default=list,
        blank=True,
        help_text=_("Fields whose values the legal reference marks as unconfirmed [U]."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("award type")
        verbose_name_plural = _("award catalogue")
        constraints = [
            models.CheckConstraint(
                condition=Q(ballot_threshold_percent__isnull=True)
                | (Q(ballot_threshold_percent__gte=1) & Q(ballot_threshold_percent__lte=100)),
                name="awardtype_threshold_is_a_percent",
                violation_error_message=_("The threshold is a percentage between 1 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(secret_ballot=False) | Q(ballot_threshold_percent__isnull=False),
                name="awardtype_ballot_has_threshold",
                violation_error_message=_("A secret ballot needs an approval threshold."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_name} — {self.localized('name')}"

    @property
    def is_forwarded(self) -> bool:
        """The Ministry prepares the dossier and sends it up; it does not decide."""
        return self.decided_by in {self.DecidedBy.PRIME_MINISTER, self.DecidedBy.PRESIDENT}

    @property
    def for_individuals(self) -> bool:
        return self.recipient in {self.Recipient.INDIVIDUAL, self.Recipient.BOTH}

    @property
    def for_collectives(self) -> bool:
        return self.recipient in {self.Recipient.COLLECTIVE, self.Recipient.BOTH}

    def threshold_met(self, *, approvals: int, council_size: int) -> bool:
        """Approvals reach the threshold share of all council members (integer arithmetic)."""
        if self.ballot_threshold_percent is None:
            raise ValueError(f"{self.code} has no approval threshold")
        return approvals * 100 >= self.ballot_threshold_percent * council_size

    def clean(self) -> None:
        from awards.eligibility import validate_rule_setup

        errors = validate_rule_setup(
            rule_codes=self.rule_codes, rule_params=self.rule_params, recipient=self.recipient
        )
        if errors:
            raise ValidationError(errors)


class TaskRating(NomineeMixin, models.Model):
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

    class Pending(models.TextChoices):
        DISCIPLINE = "discipline", _("Discipline under consideration")
        INVESTIGATION = "investigation", _("Under investigation")
        COMPLAINT = "complaint", _("Complaint being resolved")

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="task_ratings",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="task_ratings",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    rating = models.CharField(_("rating"), max_length=4, choices=Rating.choices)
    disciplined = models.BooleanField(_("disciplined"), default=False)
    discipline_level = models.CharField(
        _("discipline level"), max_length=20, choices=DisciplineLevel.choices, blank=True
    )
    pending = models.CharField(
        _("pending matter"),
        max_length=20,
        choices=Pending.choices,
        blank=True,
        help_text=_("A discipline, investigation or complaint still open: no award meanwhile."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("task rating")
        verbose_name_plural = _("task ratings")
        constraints = [
            _person_xor_unit("taskrating"),
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


class Initiative(NomineeMixin, models.Model):
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
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="initiatives",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="initiatives",
    )
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recognised_on", "title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            _person_xor_unit("initiative"),
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


class AwardGrant(NomineeMixin, models.Model):
    """Award history: year | award | decision number and date | issuer."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="award_grants",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="award_grants",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="grants"
    )
    decision_number = models.CharField(
        _("decision number"), max_length=60, blank=True, help_text=_("e.g. 123/QĐ-BCT")
    )
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "award_type__order"]
        verbose_name = _("award received")
        verbose_name_plural = _("award history")
        constraints = [
            _person_xor_unit("awardgrant"),
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


class Nomination(NomineeMixin, models.Model):
    """Hồ sơ đề nghị khen thưởng: a unit's proposal of one award for a person or itself."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SCREENING = "screening", _("Being screened")
        RETURNED = "returned", _("Returned to the unit")
        IN_REVIEW = "in_review", _("In review by the board")
        ON_AGENDA = "on_agenda", _("On a meeting agenda")
        APPROVED = "approved", _("Approved by the council")
        REJECTED = "rejected", _("Rejected by the council")
        PUBLISHED = "published", _("Published for comment")
        DECIDED = "decided", _("Decided")
        FORWARDED = "forwarded", _("Forwarded to a higher level")
        REVOKED = "revoked", _("Revoked")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Eligibility(models.TextChoices):
        MET = "met", _("Meets the rules")
        NOT_MET = "not_met", _("Fails a rule")
        UNKNOWN = "unknown", _("To be checked by the board")

    # The unit may change its dossier only while it holds it.
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    # The board reads a nomination once the secretary has sent it to review.
    WITH_THE_BOARD = (
        Status.IN_REVIEW,
        Status.ON_AGENDA,
        Status.APPROVED,
        Status.REJECTED,
        Status.PUBLISHED,
        Status.DECIDED,
        Status.FORWARDED,
        Status.REVOKED,
    )
    # A new nomination for the same nominee, award and year is allowed after these.
    CLOSED_WITHOUT_AWARD = (Status.WITHDRAWN, Status.REJECTED)

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="nominations"
    )
    year = models.PositiveSmallIntegerField(_("year of achievement"), validators=YEAR_VALIDATORS)
    proposing_unit = models.ForeignKey(
        Unit,
        verbose_name=_("proposing unit"),
        on_delete=models.PROTECT,
        related_name="proposed_nominations",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    report_background = models.TextField(
        _("I. Background"),
        blank=True,
        help_text=_(
            "Individual: short curriculum vitae. Collective: situation, functions, duties."
        ),
    )
    report_achievements = models.TextField(
        _("II. Achievements"),
        blank=True,
        help_text=_("Results against the registered targets and the progress reports."),
    )
    report_awards = models.TextField(
        _("III. Awards already received"),
        blank=True,
        help_text=_("Year | award | decision number and date | issuer."),
    )
    justification = models.TextField(
        _("justification"),
        blank=True,
        help_text=_("Required to submit a nomination that fails an eligibility rule."),
    )
    eligibility = models.JSONField(_("eligibility"), default=dict, blank=True)
    eligibility_outcome = models.CharField(
        _("eligibility"), max_length=10, choices=Eligibility.choices, blank=True, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            _person_xor_unit("nomination"),
            models.UniqueConstraint(
                fields=["person", "award_type", "year"],
                condition=Q(person__isnull=False) & ~Q(status__in=["withdrawn", "rejected"]),
                name="nomination_unique_person_award_year",
                violation_error_message=_(
                    "This person already has a nomination for this award and year."
                ),
            ),
            models.UniqueConstraint(
                fields=["unit", "award_type", "year"],
                condition=Q(unit__isnull=False) & ~Q(status__in=["withdrawn", "rejected"]),
                name="nomination_unique_unit_award_year",
                violation_error_message=_(
                    "This unit already has a nomination for this award and year."
                ),
            ),
            models.CheckConstraint(condition=YEAR_RANGE, name="nomination_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.nominee} — {self.award_type.short_name} {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_with_the_board(self) -> bool:
        return self.status in self.WITH_THE_BOARD


class NominationStep(models.Model):
    """One step of a nomination's workflow, with the eligibility as it stood at that step."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="steps"
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=Nomination.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Nomination.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    eligibility = models.JSONField(_("eligibility"), default=dict, blank=True)
    eligibility_outcome = models.CharField(
        _("eligibility"), max_length=10, choices=Nomination.Eligibility.choices, blank=True
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self) -> str:
        return f"{self.nomination_id}: {self.from_status or '—'} → {self.to_status}"


def attachment_path(instance: NominationAttachment, filename: str) -> str:
    # A random name: the original name is kept in a field and never used on disk.
    suffix = PurePath(filename).suffix.lower()
    return f"nominations/{instance.nomination_id}/{uuid.uuid4().hex}{suffix}"


class NominationAttachment(models.Model):
    """A file of the dossier, stored privately and served only through a permission check."""

    class Kind(models.TextChoices):
        COVER_LETTER = "cover_letter", _("Cover letter (tờ trình)")
        REPORT = "report", _("Signed achievement report")
        MINUTES = "minutes", _("Minutes with the vote (biên bản)")
        INITIATIVE_PROOF = "initiative_proof", _("Proof of an initiative")
        OTHER = "other", _("Other document")

    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Review(models.Model):
    """A board member's recommendation on a nomination, or their declared conflict of interest."""

    class Recommendation(models.TextChoices):
        SUPPORT = "support", _("Support")
        OPPOSE = "oppose", _("Oppose")
        ABSTAIN = "abstain", _("Abstain")

    SCORE_MIN = 1
    SCORE_MAX = 10

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="reviews"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("board member"),
        on_delete=models.PROTECT,
        related_name="nomination_reviews",
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    score = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
        help_text=_("From 1 (weak) to 10 (outstanding)."),
    )
    comment = models.TextField(_("comment"), blank=True)
    conflict_of_interest = models.BooleanField(_("conflict of interest"), default=False)
    conflict_reason = models.TextField(_("conflict declared"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "member"],
                name="review_one_per_member",
                violation_error_message=_("This member already reviewed this nomination."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=1) & Q(score__lte=10)),
                name="review_score_range",
                violation_error_message=_("The score is between 1 and 10."),
            ),
            models.CheckConstraint(
                condition=Q(conflict_of_interest=False) | Q(recommendation=""),
                name="review_conflict_has_no_recommendation",
                violation_error_message=_("A member with a conflict of interest does not review."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.nomination_id}"
