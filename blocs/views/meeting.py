"""The bloc's year-end meeting: the secretary schedules it and puts units on the agenda, opens
the ballot with the chair's (the leading unit's head) and its own passphrase, each member
unit's head votes on their own device, and both passphrases count it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from awards.forms import BallotCloseForm, BallotOpenForm
from awards.models import AwardType
from blocs.forms import ItemForm, MeetingForm, VoteForm
from blocs.models import BlocBallotItem, BlocMeeting
from blocs.selectors.years import meeting_of
from blocs.services.ballot import (
    FLAG_CODES,
    ballot_cast,
    ballot_close,
    ballot_open,
    meeting_item_add,
    meeting_item_remove,
    meeting_schedule,
)
from blocs.views.access import get_year_for_reader, posted
from blocs.views.pages import year_url
from config.access import can, error_message
from units.models import Unit
from units.roles import roles_of


def meeting_url(bloc_year) -> str:
    return year_url(bloc_year, "meeting")


def _voting_units(request, bloc_year, meeting) -> list[Unit]:
    """The member units the user heads that have not voted yet."""
    roles = roles_of(request.user)
    voted = set(meeting.receipts.values_list("unit_id", flat=True))
    return [
        member.unit
        for member in bloc_year.members.select_related("unit")
        if roles.is_head_of(member.unit) and member.unit_id not in voted
    ]


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def meeting_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    bloc_year = get_year_for_reader(request, code, year)
    meeting = meeting_of(bloc_year)
    runs = can(request.user, "blocs.run_meeting")
    if meeting is None and not runs:
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not runs and action != "vote":
        raise Http404
    schedule_form = MeetingForm(posted(request) if action == "schedule" else None)
    units = bloc_year.members.none()
    awards = [
        (award.code, award.short_name)
        for award in AwardType.objects.filter(code__in=FLAG_CODES).order_by("order")
    ]
    item_form = open_form = close_form = vote_form = None
    if meeting is not None:
        units = Unit.objects.filter(bloc_ranks__bloc_year=bloc_year).order_by("bloc_ranks__rank")
        item_form = ItemForm(
            posted(request) if action == "item" else None, units=units, awards=awards
        )
        open_form = BallotOpenForm(posted(request) if action == "open" else None)
        close_form = BallotCloseForm(posted(request) if action == "close" else None)
        items = list(meeting.items.select_related("unit", "award_type").order_by("pk"))
        vote_form = VoteForm(posted(request) if action == "vote" else None, items=items)
    try:
        if action == "schedule" and schedule_form.is_valid():
            meeting_schedule(bloc_year=bloc_year, actor=request.user, **schedule_form.cleaned_data)
            messages.success(request, _("The year-end meeting is scheduled."))
            return redirect(meeting_url(bloc_year))
        if action == "item" and item_form.is_valid():
            meeting_item_add(
                meeting=meeting,
                unit=item_form.cleaned_data["unit"],
                award_code=item_form.cleaned_data["award"],
            )
            messages.success(request, _("Put on the agenda."))
            return redirect(meeting_url(bloc_year))
        if action == "remove":
            item = get_object_or_404(BlocBallotItem, pk=request.POST.get("item"), meeting=meeting)
            meeting_item_remove(item=item)
            messages.success(request, _("Taken off the agenda."))
            return redirect(meeting_url(bloc_year))
        if action == "open" and open_form.is_valid():
            ballot_open(meeting=meeting, actor=request.user, **open_form.passphrases())
            messages.success(request, _("The ballot is open: each member unit's head votes now."))
            return redirect(meeting_url(bloc_year))
        if action == "close" and close_form.is_valid():
            ballot_close(meeting=meeting, actor=request.user, **close_form.passphrases())
            messages.success(request, _("The ballot is closed and counted."))
            return redirect(meeting_url(bloc_year))
        if action == "vote" and meeting is not None:
            voting = _voting_units(request, bloc_year, meeting)
            if not voting:
                raise Http404
            if vote_form.is_valid():
                ballot_cast(
                    meeting=meeting, unit=voting[0], voter=request.user, choices=vote_form.choices()
                )
                messages.success(
                    request, _("Your unit's ballot is cast. Nobody can see what it chose.")
                )
                return redirect(meeting_url(bloc_year))
    except ValidationError as error:
        messages.error(request, error_message(error))
        return redirect(meeting_url(bloc_year))
    status = 422 if action else 200
    return render(
        request,
        "blocs/meeting.html",
        {
            "bloc_year": bloc_year,
            "meeting": meeting,
            "runs": runs,
            "schedule_form": schedule_form,
            "item_form": item_form,
            "open_form": open_form,
            "close_form": close_form,
            "vote_form": vote_form,
            "items": list(meeting.items.select_related("unit", "award_type", "nomination"))
            if meeting
            else [],
            "voting_units": _voting_units(request, bloc_year, meeting)
            if meeting and meeting.status == BlocMeeting.Status.BALLOT_OPEN
            else [],
            "voted": list(meeting.receipts.select_related("unit")) if meeting else [],
        },
        status=status,
    )
