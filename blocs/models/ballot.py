"""The bloc's year-end meeting and its secret ballot on whom to propose for the flags.

The same secrecy as the councils' ballot (awards.ballot_crypto): each ballot is a Paillier
ciphertext per item, a receipt says only that a member unit voted, the private key is sealed
under the chair's (the leading unit's head) and the board secretary's passphrases together.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blocs.models.years import BlocYear
from units.models import Unit


class BlocMeeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        BALLOT_OPEN = "ballot_open", _("Ballot open")
        CLOSED = "closed", _("Ballot closed")

    bloc_year = models.OneToOneField(
        BlocYear, verbose_name=_("bloc year"), on_delete=models.CASCADE, related_name="meeting"
    )
    held_on = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    # Every member unit votes once (by its head); the threshold is a share of all of them.
    voters = models.PositiveSmallIntegerField(_("member units voting"), null=True, blank=True)
    ballot_opened_at = models.DateTimeField(_("ballot opened at"), null=True, blank=True)
    ballot_closed_at = models.DateTimeField(_("ballot closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bloc meeting")
        verbose_name_plural = _("bloc meetings")

    def __str__(self) -> str:
        return f"{self.bloc_year} — {self.held_on}"


class BlocBallotItem(models.Model):
    """A unit put to the vote for one flag; its counts are written only when the ballot closes."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Proposed")
        REJECTED = "rejected", _("Not proposed")

    meeting = models.ForeignKey(
        BlocMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    award_type = models.ForeignKey(
        "awards.AwardType", verbose_name=_("award"), on_delete=models.PROTECT, related_name="+"
    )
    approvals = models.PositiveSmallIntegerField(_("approve"), default=0)
    disapprovals = models.PositiveSmallIntegerField(_("disapprove"), default=0)
    outcome = models.CharField(_("result"), max_length=10, choices=Outcome.choices, blank=True)
    threshold_rule = models.CharField(_("threshold rule"), max_length=10, blank=True)
    threshold_percent = models.PositiveSmallIntegerField(_("threshold (%)"), null=True, blank=True)
    nomination = models.ForeignKey(
        "awards.Nomination",
        verbose_name=_("nomination"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("bloc ballot item")
        verbose_name_plural = _("bloc ballot items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "unit", "award_type"], name="blocballotitem_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.award_type_id}"


class BlocBallotKey(models.Model):
    """The sealed key of one bloc meeting's ballot while it is open (see BallotKey)."""

    meeting = models.OneToOneField(
        BlocMeeting, on_delete=models.CASCADE, primary_key=True, related_name="ballot_key"
    )
    public_n = models.BinaryField()
    public_n_mac = models.CharField(max_length=64)
    salt = models.BinaryField()
    scrypt_n = models.PositiveIntegerField()
    nonce = models.BinaryField()
    sealed_private_key = models.BinaryField()

    def __str__(self) -> str:
        return str(self.meeting_id)


class BlocBallotReceipt(models.Model):
    """That a member unit voted (cast by one of its heads) — never what it chose."""

    meeting = models.ForeignKey(
        BlocMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="receipts"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("cast at"))

    class Meta:
        verbose_name = _("bloc ballot receipt")
        verbose_name_plural = _("bloc ballot receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "unit"],
                name="blocballotreceipt_once_per_unit",
                violation_error_message=_("This unit has already voted."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.meeting_id}"


class BlocSealedVote(models.Model):
    """One choice on one item, as a ciphertext; deleted when the ballot closes."""

    item = models.ForeignKey(BlocBallotItem, on_delete=models.CASCADE, related_name="sealed_votes")
    ciphertext = models.BinaryField()

    def __str__(self) -> str:
        return str(self.item_id)
