"""Nominations (hồ sơ đề nghị khen thưởng), their workflow steps, files and reviews."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from awards.models.catalogue import AwardType
from awards.models.record import YEAR_RANGE, YEAR_VALIDATORS, PersonOrUnit, owner_keys
from units.models import Unit


class Nomination(PersonOrUnit):
    """Hồ sơ đề nghị khen thưởng: a unit's proposal of one award for a person or itself."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SCREENING = "screening", _("Being screened")
        RETURNED = "returned", _("Returned to the unit")
        # Publicity comes before the council (NĐ 98/2023 Art 46.2, NĐ 152/2025 Art 44.2): the
        # board reviews while the nominee is published; the agenda waits for the window's end.
        PUBLISHED = "published", _("In review, published for comment")
        IN_REVIEW = "in_review", _("In review by the board")
        ON_AGENDA = "on_agenda", _("On a meeting agenda")
        APPROVED = "approved", _("Approved by the council")
        REJECTED = "rejected", _("Rejected by the council")
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
        Status.PUBLISHED,
        Status.IN_REVIEW,
        Status.ON_AGENDA,
        Status.APPROVED,
        Status.REJECTED,
        Status.DECIDED,
        Status.FORWARDED,
        Status.REVOKED,
    )
    # The board reviews these (the publicity window may still be open).
    IN_THE_BOARDS_REVIEW = (Status.PUBLISHED, Status.IN_REVIEW)
    # A new nomination for the same nominee, award and year is allowed after these.
    CLOSED_WITHOUT_AWARD = (Status.WITHDRAWN, Status.REJECTED)

    person, unit = owner_keys(related_name="nominations", on_delete=models.PROTECT)
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
    deciding_unit = models.ForeignKey(
        Unit,
        verbose_name=_("decided at"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations_to_decide",
        help_text=_(
            "Set at submission: the unit with commendation authority whose council and head "
            "decide it (Law 2022 Art 80); empty for the Ministry's council."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    report_background = models.TextField(
        _("I. Background"),
        blank=True,
        max_length=20_000,
        help_text=_(
            "Individual: short curriculum vitae. Collective: situation, functions, duties."
        ),
    )
    report_achievements = models.TextField(
        _("II. Achievements"),
        blank=True,
        max_length=60_000,
        help_text=_("Results against the registered targets and the progress reports."),
    )
    report_awards = models.TextField(
        _("III. Awards already received"),
        blank=True,
        max_length=10_000,
        help_text=_("Year | award | decision number and date | issuer."),
    )
    justification = models.TextField(
        _("justification"),
        blank=True,
        max_length=5_000,
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

    class Meta(PersonOrUnit.Meta):
        ordering = ["-created_at"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            *PersonOrUnit.Meta.constraints,
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
