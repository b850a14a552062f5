"""Commendations: the award catalogue, the nominee's record, nominations and their review."""

from __future__ import annotations

import datetime
import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import get_language, gettext
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
            "Working days an approved nominee is published for public comment before the "
            "decision, counted without weekends and public holidays; 0 means no publicity."
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

    def approved_by(self, *, approvals: int, council_size: int) -> bool:
        """Whether a council vote approves this award, counted on ALL council members.

        The law sets a threshold ("at least N% of all members") for the awards it puts to a
        secret ballot. The others are voted on the same ballot and need a simple majority of
        all members: more than COUNCIL_MAJORITY_PERCENT % (50 by default). Integers only.
        """
        if council_size < 1:
            raise ValueError("a council has at least one member")
        if self.ballot_threshold_percent is not None:
            return self.threshold_met(approvals=approvals, council_size=council_size)
        return approvals * 100 > settings.COUNCIL_MAJORITY_PERCENT * council_size

    @property
    def needs_publicity(self) -> bool:
        return self.publicity_working_days > 0

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
    used_on = models.DateField(
        _("used on"),
        null=True,
        blank=True,
        help_text=_("Date of the decision (or forwarding) that used it for an award."),
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
    decision = models.ForeignKey(
        "Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        help_text=_("The decision (or forwarding) that settled the nomination."),
    )

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


# --- The council, its meetings and the secret ballot ------------------------------------------


class TermQuerySet(models.QuerySet):
    """Rows with a term (term_start, optional term_end) that covers a given day."""

    def active_on(self, day: datetime.date) -> TermQuerySet:
        return self.filter(Q(term_start__lte=day), Q(term_end__isnull=True) | Q(term_end__gte=day))


def _term_ends_after_start(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
        name=f"{prefix}_term_end_after_start",
        violation_error_message=_("A term cannot end before it starts."),
    )


class Council(models.Model):
    """Hội đồng Thi đua - Khen thưởng for one term. The council whose term covers a day is the
    board on that day (see awards.selectors.council_members)."""

    name = models.CharField(
        _("name"), max_length=255, default="Hội đồng Thi đua - Khen thưởng Bộ Công Thương"
    )
    established_by = models.CharField(
        _("established by"),
        max_length=255,
        blank=True,
        help_text=_("Number and date of the decision establishing the council."),
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    history = HistoricalRecords()
    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["-term_start", "-pk"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [_term_ends_after_start("council")]

    def __str__(self) -> str:
        return (
            f"{self.name} ({self.term_start:%Y}–{self.term_end:%Y})"
            if self.term_end
            else (f"{self.name} ({self.term_start:%Y}–)")
        )

    def is_active_on(self, day: datetime.date) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)

    def clean(self) -> None:
        # Two councils never overlap, so that "the council on a day" has one answer.
        if self.term_start is None:
            return
        others = Council.objects.exclude(pk=self.pk).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=self.term_start)
        )
        if self.term_end is not None:
            others = others.filter(term_start__lte=self.term_end)
        if others.exists():
            raise ValidationError(
                _("Another council's term overlaps this one: end it first."), code="overlap"
            )


class CouncilMember(models.Model):
    """A seat on the council: who, in which role, for which part of the council's term."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair of the council")
        VICE_CHAIR = "vice_chair", _("Vice chair of the council")
        STANDING = "standing", _("Standing member of the council")
        MEMBER = "member", _("Member of the council")
        SECRETARY = "secretary", _("Secretary of the council")

    ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="council_seats",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    position = models.CharField(
        _("position"),
        max_length=200,
        blank=True,
        help_text=_("Office held outside the council, as written in the minutes."),
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    history = HistoricalRecords()
    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["council", "term_start", "pk"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user"],
                name="councilmember_one_seat_per_council",
                violation_error_message=_("This person already has a seat on the council."),
            ),
            _term_ends_after_start("councilmember"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)

    def clean(self) -> None:
        if self.term_start is None or not self.council_id:
            return
        council = self.council
        # A seat without an end lasts as long as the council.
        outside = self.term_start < council.term_start
        if council.term_end is not None:
            outside = outside or self.term_start > council.term_end
            outside = outside or (self.term_end is not None and self.term_end > council.term_end)
        if outside:
            raise ValidationError(
                _("A seat lies within the council's term (%(start)s – %(end)s).")
                % {
                    "start": formats.date_format(council.term_start, "SHORT_DATE_FORMAT"),
                    "end": formats.date_format(council.term_end, "SHORT_DATE_FORMAT")
                    if council.term_end
                    else "…",
                },
                code="term",
            )
        if self.role == self.Role.CHAIR:
            chairs = CouncilMember.objects.filter(council=council, role=self.Role.CHAIR).exclude(
                pk=self.pk
            )
            chairs = chairs.filter(Q(term_end__isnull=True) | Q(term_end__gte=self.term_start))
            if self.term_end is not None:
                chairs = chairs.filter(term_start__lte=self.term_end)
            if chairs.exists():
                raise ValidationError(
                    {"role": _("The council already has a chair for that time.")}, code="chair"
                )


class Meeting(models.Model):
    """A council meeting: its agenda (the tallies), attendance and one secret ballot."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        BALLOT_OPEN = "ballot_open", _("Ballot open")
        CLOSED = "closed", _("Ballot closed")
        CANCELLED = "cancelled", _("Cancelled")

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    held_on = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    # All members seated on the meeting day, frozen when the ballot opens: the thresholds are
    # shares of this number, not of the members present.
    council_size = models.PositiveSmallIntegerField(_("council members"), null=True, blank=True)
    ballot_opened_at = models.DateTimeField(_("ballot opened at"), null=True, blank=True)
    ballot_closed_at = models.DateTimeField(_("ballot closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "cancelled"]) | Q(council_size__gte=1),
                name="meeting_ballot_has_council_size",
            ),
        ]

    def __str__(self) -> str:
        return self.title or gettext("Council meeting of %(day)s") % {
            "day": formats.date_format(self.held_on, "SHORT_DATE_FORMAT")
        }

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Attendance(models.Model):
    """Whether a member of the council attended a meeting (recorded by the secretary)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=12, choices=CouncilMember.Role.choices)
    present = models.BooleanField(_("present"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.meeting}"


class VoteTally(models.Model):
    """One nomination on a meeting's agenda and the count of the secret ballot for it.

    Deliberately without history, timestamps or any per-update column: a ballot increments
    the counts in the same transaction that inserts the member's receipt, and nothing here
    may tell which receipt changed which count. The counts are shown only once the ballot is
    closed; `outcome` is written then.
    """

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="tallies"
    )
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.PROTECT, related_name="tallies"
    )
    approvals = models.PositiveSmallIntegerField(_("approve"), default=0)
    disapprovals = models.PositiveSmallIntegerField(_("disapprove"), default=0)
    outcome = models.CharField(_("result"), max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("vote tally")
        verbose_name_plural = _("vote tallies")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nomination"], name="votetally_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.nomination_id}"


class BallotReceipt(models.Model):
    """That a member cast the ballot of a meeting — never what they chose. No history.

    A written ballot of an absent member is entered by the secretary (`recorded_by`).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="receipts"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("cast at"))
    in_writing = models.BooleanField(_("in writing"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["meeting", "cast_at", "pk"]
        verbose_name = _("ballot receipt")
        verbose_name_plural = _("ballot receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="ballotreceipt_one_per_member",
                violation_error_message=_("This member has already voted in this meeting."),
            ),
            models.CheckConstraint(
                condition=(Q(in_writing=True) & Q(recorded_by__isnull=False))
                | (Q(in_writing=False) & Q(recorded_by__isnull=True)),
                name="ballotreceipt_written_has_recorder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.meeting_id}"


# --- Publicity ---------------------------------------------------------------------------------


def publication_token() -> str:
    return secrets.token_urlsafe(9)


class Publication(models.Model):
    """An approved nomination published for public comment for the award's working days.

    What the public sees is copied here when the publication is scheduled, so that the public
    pages never read the nomination itself (no eligibility, reviews, files or internal ids).
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open for comment")
        CLOSED = "closed", _("Closed")

    nomination = models.OneToOneField(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.PROTECT,
        related_name="publication",
    )
    token = models.CharField(_("public key"), max_length=20, unique=True, default=publication_token)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("The last day of the window."))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The published text.
    nominee_name = models.CharField(_("nominee"), max_length=255)
    nominee_is_person = models.BooleanField(_("individual"), default=True)
    nominee_position = models.CharField(_("position"), max_length=255, blank=True)
    unit_name = models.CharField(_("unit"), max_length=255)
    unit_name_en = models.CharField(_("unit (English)"), max_length=255, blank=True)
    award_name = models.CharField(_("award"), max_length=200)
    award_name_en = models.CharField(_("award (English)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year of achievement"))
    summary = models.TextField(_("summary of achievements"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_on", "award_name", "nominee_name"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="publication_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} — {self.award_name} {self.year}"

    def localized_award(self) -> str:
        if (get_language() or "vi").startswith("en"):
            return self.award_name_en or self.award_name
        return self.award_name

    def localized_unit(self) -> str:
        if (get_language() or "vi").startswith("en"):
            return self.unit_name_en or self.unit_name
        return self.unit_name


class PublicComment(models.Model):
    """A comment sent by anyone on a published nominee; shown publicly once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Shown")
        HIDDEN = "hidden", _("Hidden")

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    name = models.CharField(_("name"), max_length=100)
    contact = models.CharField(_("contact"), max_length=150)
    text = models.TextField(_("comment"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:60]}"


# --- Decisions ---------------------------------------------------------------------------------


class Decision(models.Model):
    """A commendation decision (quyết định), or the proposal forwarding awards the Ministry does
    not decide to a higher level (tờ trình). It settles a set of approved nominations."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Commendation decision")
        FORWARDING = "forwarding", _("Proposal to a higher level")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        REVOKED = "revoked", _("Revoked")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=60, help_text=_("e.g. 123/QĐ-BCT"))
    signed_on = models.DateField(_("date"))
    signer = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    issuer = models.CharField(
        _("issuer"),
        max_length=255,
        help_text=_("As written in the award history, e.g. Bộ trưởng Bộ Công Thương."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.IN_FORCE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number", "signed_on"],
                name="decision_unique_number",
                violation_error_message=_("A decision with this number and date exists."),
            ),
            models.CheckConstraint(
                condition=(Q(status="in_force") & Q(revoked_at__isnull=True))
                | (Q(status="revoked") & Q(revoked_at__isnull=False) & ~Q(revoke_reason="")),
                name="decision_revoked_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({formats.date_format(self.signed_on, 'SHORT_DATE_FORMAT')})"

    @property
    def is_forwarding(self) -> bool:
        return self.kind == self.Kind.FORWARDING
