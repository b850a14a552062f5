"""Telling the next person in a bloc's year that it is their turn: a submitted scoring to its
cross-checker (the leading unit's heads, or the board's secretaries for the leading unit's own
scoring), a returned one to the unit, the published ranking to every member unit, an opened
ballot to the member units' heads.

The steps call these inside their transaction; the messages are written in each recipient's
language and delivered once it commits (units/delivery.py), in the inbox and by e-mail for
those who want it. Each goes only to the people of the units concerned; the key names the
occasion, so a step tells nobody twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from blocs.models import BlocMeeting, BlocYear, Scoring
from units.delivery import messages_post
from units.models import Membership, User
from units.roles import SECRETARY_GROUP

EVERYONE = (Membership.Role.OFFICER, Membership.Role.HEAD)


def _people(unit_ids: Iterable[int], roles: Iterable[str], *, actor: User | None):
    people = User.objects.filter(
        is_active=True, memberships__unit_id__in=list(unit_ids), memberships__role__in=roles
    ).distinct()
    return people.exclude(pk=actor.pk) if actor is not None else people


def _year_url(bloc_year: BlocYear) -> str:
    return reverse("blocs:year", args=[bloc_year.bloc.code, bloc_year.year])


def _scoring_url(scoring: Scoring) -> str:
    bloc_year = scoring.bloc_year
    return reverse("blocs:scoring", args=[bloc_year.bloc.code, bloc_year.year, scoring.unit.code])


def _occasion(scoring: Scoring) -> str:
    """One submission: a scoring returned and submitted again is a new occasion."""
    return f"{scoring.pk}:{scoring.submitted_at.timestamp() if scoring.submitted_at else 0}"


def scoring_tell_checker_submitted(*, scoring: Scoring, actor: User | None) -> int:
    bloc_year = scoring.bloc_year
    if scoring.unit_id == bloc_year.leading_unit_id:
        recipients = User.objects.filter(is_active=True, groups__name=SECRETARY_GROUP).distinct()
        if actor is not None:
            recipients = recipients.exclude(pk=actor.pk)
    else:
        recipients = _people([bloc_year.leading_unit_id], [Membership.Role.HEAD], actor=actor)

    def write(user):
        values = {"unit": scoring.unit.name, "bloc": bloc_year.bloc.name, "year": bloc_year.year}
        return (
            _("Scoring of %(unit)s to cross-check") % values,
            _("%(unit)s submitted its scoring for %(bloc)s %(year)s: cross-check it.") % values,
            _scoring_url(scoring),
        )

    return len(
        messages_post(
            recipients=recipients,
            key=f"bloc-scoring-submitted:{_occasion(scoring)}",
            write=write,
        )
    )


def scoring_tell_unit_returned(*, scoring: Scoring, actor: User | None) -> int:
    bloc_year = scoring.bloc_year

    def write(user):
        values = {"bloc": bloc_year.bloc.name, "year": bloc_year.year}
        return (
            _("Scoring returned for %(bloc)s %(year)s") % values,
            _("Your unit's scoring for %(bloc)s %(year)s was returned: %(reason)s")
            % {**values, "reason": scoring.return_reason},
            _scoring_url(scoring),
        )

    return len(
        messages_post(
            recipients=_people([scoring.unit_id], EVERYONE, actor=actor),
            key=f"bloc-scoring-returned:{_occasion(scoring)}",
            write=write,
        )
    )


def ranking_tell_members(*, bloc_year: BlocYear, actor: User | None) -> int:
    def write(user):
        values = {"bloc": bloc_year.bloc.name, "year": bloc_year.year}
        return (
            _("Ranking of %(bloc)s %(year)s published") % values,
            _("The ranking of %(bloc)s for %(year)s is published.") % values,
            _year_url(bloc_year),
        )

    return len(
        messages_post(
            recipients=_people(
                bloc_year.members.values_list("unit_id", flat=True), EVERYONE, actor=actor
            ),
            key=f"bloc-ranking:{bloc_year.pk}",
            write=write,
        )
    )


def ballot_tell_members(*, meeting: BlocMeeting, actor: User | None) -> int:
    bloc_year = meeting.bloc_year

    def write(user):
        values = {"bloc": bloc_year.bloc.name, "year": bloc_year.year}
        return (
            _("Ballot of %(bloc)s open") % values,
            _("The secret ballot of %(bloc)s for %(year)s is open: cast your unit's vote.")
            % values,
            reverse("blocs:meeting", args=[bloc_year.bloc.code, bloc_year.year]),
        )

    return len(
        messages_post(
            recipients=_people(
                bloc_year.members.values_list("unit_id", flat=True),
                [Membership.Role.HEAD],
                actor=actor,
            ),
            key=f"bloc-ballot:{meeting.pk}",
            write=write,
        )
    )
