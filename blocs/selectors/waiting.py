"""What waits for people in the emulation blocs (the home page's "waiting for you",
units/waiting.py): scorings to cross-check, covenants to sign, the bloc's ballots to cast. One
query per line, and none for a role the user does not hold."""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocBallotReceipt, BlocMeeting, BlocMember, Scoring, Signature
from units.models import User
from units.roles import Roles
from units.waiting import WaitingItem


def _item(label, rows: list[tuple], name: str) -> list[WaitingItem]:
    """A line for `rows` of (bloc code, year, …): the link opens the first one's page."""
    if not rows:
        return []
    code, year, *rest = rows[0]
    return [WaitingItem(label, len(rows), reverse(name, args=[code, year, *rest]))]


def bloc_items(user: User, roles: Roles, today: datetime.date) -> list[WaitingItem]:
    items: list[WaitingItem] = []
    heads = roles.head_unit_ids
    if heads:
        # Scorings the leading unit's heads cross-check (the other members').
        to_check = list(
            Scoring.objects.filter(
                status=Scoring.Status.SUBMITTED, bloc_year__leading_unit_id__in=heads
            )
            .exclude(unit_id=F("bloc_year__leading_unit_id"))
            .order_by("submitted_at")
            .values_list("bloc_year__bloc__code", "bloc_year__year", "unit__code")
        )
        items += _item(_("Bloc scorings to cross-check"), to_check, "blocs:scoring")
        # Covenants drafted, not yet signed for the head's unit, before the ranking.
        signed = Signature.objects.filter(bloc_year=OuterRef("bloc_year"), unit=OuterRef("unit"))
        to_sign = list(
            BlocMember.objects.filter(
                unit_id__in=heads,
                bloc_year__commitments__isnull=False,
                bloc_year__ranking_published_at__isnull=True,
            )
            .filter(~Exists(signed))
            .distinct()
            .order_by("bloc_year__year")
            .values_list("bloc_year__bloc__code", "bloc_year__year")
        )
        items += _item(_("Bloc covenants to sign"), to_sign, "blocs:year")
        # Ballots open in which a member unit of the head has not voted yet.
        voted = BlocBallotReceipt.objects.filter(
            meeting=OuterRef("bloc_year__meeting"), unit=OuterRef("unit")
        )
        to_vote = list(
            BlocMember.objects.filter(
                unit_id__in=heads, bloc_year__meeting__status=BlocMeeting.Status.BALLOT_OPEN
            )
            .filter(~Exists(voted))
            .order_by("bloc_year__year")
            .values_list("bloc_year__bloc__code", "bloc_year__year")
        )
        items += _item(_("Bloc ballots to cast"), to_vote, "blocs:meeting")
    if roles.is_secretary:
        # The leading units' own scorings: the board's secretary cross-checks them.
        leading = list(
            Scoring.objects.filter(
                status=Scoring.Status.SUBMITTED, unit_id=F("bloc_year__leading_unit_id")
            )
            .order_by("submitted_at")
            .values_list("bloc_year__bloc__code", "bloc_year__year", "unit__code")
        )
        items += _item(_("Leading units' bloc scorings to cross-check"), leading, "blocs:scoring")
    return items
