"""The council, its meetings and the secret ballot."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from awards.models.nominations import Nomination
from units.models import Unit


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
    """Hội đồng Thi đua - Khen thưởng for one term: the Ministry's (no unit) or that of a unit
    holding commendation authority (Law 2022 Art 80). The Ministry's council whose term covers
    a day is the board on that day (see awards.selectors.council.council_members); a unit's
    council whose term covers it reviews and votes on what its head decides."""

    name = models.CharField(
        _("name"), max_length=255, default="Hội đồng Thi đua - Khen thưởng Bộ Công Thương"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        help_text=_(
            "Empty for the Ministry's council; else the unit with commendation authority whose "
            "council this is."
        ),
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
        # Two councils of the same level never overlap, so that "the council on a day" has
        # one answer for the Ministry and for each unit.
        if self.unit_id is not None and not self.unit.commendation_authority:
            raise ValidationError(
                {"unit": _("This unit holds no commendation authority: it has no council.")},
                code="authority",
            )
        if self.term_start is None:
            return
        others = Council.objects.exclude(pk=self.pk).filter(
            Q(unit_id=self.unit_id) if self.unit_id else Q(unit__isnull=True),
            Q(term_end__isnull=True) | Q(term_end__gte=self.term_start),
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
    # Every seat is a member of the council and votes: the thresholds are shares of all of
    # them (NĐ 98/2023 Art 30.7; NĐ 152/2025 keeping it [U]). The secretary's seat is
    # "Ủy viên thư ký", a member, and votes
    # by default; a secretary appointed only to keep the minutes, not a member, is recorded
    # with votes=False and then neither votes nor counts in the council's size.
    votes = models.BooleanField(
        _("votes"),
        default=True,
        help_text=_(
            "A member of the council votes and counts in its size. Only a secretary who is "
            "not a member of the council (keeps the minutes only) does not."
        ),
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
            models.CheckConstraint(
                condition=Q(votes=True) | Q(role="secretary"),
                name="councilmember_only_secretary_without_vote",
                violation_error_message=_(
                    "Only the secretary's seat can be without a vote: every other seat is a "
                    "voting member."
                ),
            ),
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
    # Set by migration 0004 on the meetings whose ballot was opened before ballots were sealed:
    # their counts were kept in clear, ballot by ballot. Such a ballot takes no more ballots;
    # the secretary closes it with the counts it has or voids it (README "The secret ballot").
    plain_counts = models.BooleanField(_("counts kept in clear"), default=False, editable=False)
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

    @property
    def deciding_unit_id(self) -> int | None:
        """The unit whose council meets (None: the Ministry's), from the council row."""
        return self.council.unit_id


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
    # Copied from the seat with the role: whether this member votes and counts in the size.
    votes = models.BooleanField(_("votes"), default=True)
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
    """One nomination on a meeting's agenda and the result of the secret ballot for it.

    Deliberately without history or timestamps. While the ballot is open the counts stay 0:
    the ballots are in `SealedVote`, encrypted. Closing writes the decrypted sums and
    `outcome` here, and only then are they shown.
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

    class Rule(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        MORE_THAN = "more_than", _("more than")

    approvals = models.PositiveSmallIntegerField(_("approve"), default=0)
    disapprovals = models.PositiveSmallIntegerField(_("disapprove"), default=0)
    outcome = models.CharField(_("result"), max_length=10, choices=Outcome.choices, blank=True)
    # The threshold applied when the ballot closed (the award's terms in force on the meeting
    # day), frozen: a later change of the catalogue never changes a closed result.
    threshold_rule = models.CharField(
        _("threshold rule"), max_length=10, choices=Rule.choices, blank=True
    )
    threshold_percent = models.PositiveSmallIntegerField(_("threshold (%)"), null=True, blank=True)
    threshold_source = models.CharField(_("source of the threshold"), max_length=255, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("vote tally")
        verbose_name_plural = _("vote tallies")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nomination"], name="votetally_once"),
            models.CheckConstraint(
                condition=Q(outcome="") | (~Q(threshold_rule="") & Q(threshold_percent__gte=1)),
                name="votetally_result_has_threshold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.nomination_id}"

    def threshold_label(self) -> str:
        """The threshold applied, as the minutes write it (only once the ballot closed)."""
        if not self.threshold_rule:
            return ""
        if self.threshold_rule == self.Rule.AT_LEAST:
            return gettext("at least %(percent)s%% of all members") % {
                "percent": self.threshold_percent
            }
        return gettext("more than %(percent)s%% of all members") % {
            "percent": self.threshold_percent
        }


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


class BallotKey(models.Model):
    """The key of one meeting's secret ballot, from its opening to its closing. No history,
    not in the admin; deleted when the ballot closes or is voided.

    `public_n` is the Paillier public key each ballot is sealed with (`public_n_mac`, an HMAC
    under SECRET_KEY, tells it is the one the app wrote). The private key is stored only
    sealed with AES-GCM (`nonce`, `sealed_private_key`) under a key derived with scrypt
    (`salt`, `scrypt_n`) from the chair's and the secretary's passphrases, which are stored
    nowhere (awards.ballot_crypto).
    """

    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="ballot_key",
    )
    public_n = models.BinaryField()
    public_n_mac = models.CharField(max_length=64)
    salt = models.BinaryField()
    scrypt_n = models.PositiveIntegerField()
    nonce = models.BinaryField()
    sealed_private_key = models.BinaryField()

    class Meta:
        verbose_name = _("ballot key")
        verbose_name_plural = _("ballot keys")

    def __str__(self) -> str:
        return str(self.meeting_id)


class SealedVote(models.Model):
    """One member's choice on one item of the agenda, as a Paillier ciphertext of 1 (approve)
    or 0 (disapprove) under the meeting's key, on a fixed number of bytes.

    Which member cast it is not stored, but it is written in the same transaction as their
    receipt (PostgreSQL's xmin tells): the choice must therefore be in the ciphertext and
    nowhere else. A ballot writes one row per item the member votes on, in the agenda's
    order, whatever the choices. Deleted when the ballot closes, once the sums are decrypted.
    """

    tally = models.ForeignKey(
        VoteTally,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="sealed_votes",
    )
    ciphertext = models.BinaryField()

    class Meta:
        verbose_name = _("sealed vote")
        verbose_name_plural = _("sealed votes")

    def __str__(self) -> str:
        return str(self.tally_id)
