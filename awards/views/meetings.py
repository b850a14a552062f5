"""The council, its meetings and the secret ballot.

The secretary keeps the council and runs the meetings; the members present vote on their own
device; the secretary enters the written ballots of absent members. Every view reaches a
meeting through `get_meeting_for_reader` (awards.views.access: 404 for a user who may not read
it); a reader who may not take a step gets 403. No page shows a count before the ballot is closed.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.documents.blocks import DOCX
from awards.documents.meetings import cover_letter, minutes
from awards.forms import (
    AgendaForm,
    AttendanceForm,
    BallotCloseForm,
    BallotForm,
    BallotOpenForm,
    CouncilForm,
    MeetingForm,
    SeatForm,
)
from awards.models import Council, CouncilMember, Meeting
from awards.selectors.council import (
    agenda_candidates,
    agenda_not_ready,
    ballot_items,
    council_list,
    council_seats,
    meeting_agenda,
    meeting_list,
    meeting_results,
    meeting_seats,
    seat_candidates,
)
from awards.selectors.levels import council_levels, level_name
from awards.services.council import (
    PASSPHRASE_MIN_LENGTH,
    ballot_cast,
    council_save,
    council_seat_save,
    meeting_agenda_add,
    meeting_agenda_remove,
    meeting_attendance_record,
    meeting_ballot_close,
    meeting_ballot_open,
    meeting_ballot_void,
    meeting_cancel,
    meeting_schedule,
    meeting_update,
)
from awards.views.access import (
    get_council_for_reader,
    get_level,
    get_meeting_for_reader,
    get_seat_for_reader,
    posted,
)
from config.access import can, error_message, require
from units.roles import roles_of


def _refused(request: HttpRequest, error: ValidationError, url: str) -> HttpResponse:
    messages.error(request, error_message(error))
    return redirect(url)


def _form_page(request: HttpRequest, form, *, title: str, back: str, status: int = 200, **extra):
    return render(
        request,
        "awards/form_page.html",
        {"form": form, "title": title, "back": back, **extra},
        status=status,
    )


# --- The council -------------------------------------------------------------------------------


@require_GET
def council_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "awards.read_council")
    return render(
        request,
        "awards/council_list.html",
        {
            "councils": council_list(roles=roles_of(request.user)),
            "can_manage": can(request.user, "awards.manage_council"),
        },
    )


@require_GET
def council_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    council = get_council_for_reader(request, pk)
    return render(
        request,
        "awards/council_detail.html",
        {
            "council": council,
            "seats": council_seats(council),
            "can_manage": can(request.user, "awards.manage_council", council),
            "today": timezone.localdate(),
        },
    )


def _council_save(request: HttpRequest, council: Council | None) -> HttpResponse:
    require(request.user, "awards.manage_council", council)
    initial = (
        {
            "unit": council.unit_id,
            "name": council.name,
            "established_by": council.established_by,
            "term_start": council.term_start,
            "term_end": council.term_end,
        }
        if council
        else None
    )
    form = CouncilForm(
        posted(request), initial=initial, units=council_levels(roles_of(request.user))
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("unit", council.unit if council else None)
        try:
            saved = council_save(council=council, actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The council is saved."))
            return redirect("awards:council", saved.pk)
    return _form_page(
        request,
        form,
        title=_("Change the council") if council else _("Record a council"),
        back=reverse("awards:council", args=[council.pk])
        if council
        else reverse("awards:councils"),
        status=422 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def council_create_view(request: HttpRequest) -> HttpResponse:
    return _council_save(request, None)


@require_http_methods(["GET", "POST"])
def council_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _council_save(request, get_council_for_reader(request, pk))


def _seat_save(request: HttpRequest, council: Council, seat: CouncilMember | None):
    require(request.user, "awards.manage_council", council)
    initial = (
        {
            "user": seat.user_id,
            "role": seat.role,
            "no_vote": not seat.votes,
            "position": seat.position,
            "term_start": seat.term_start,
            "term_end": seat.term_end,
        }
        if seat
        else {"term_start": council.term_start, "term_end": council.term_end}
    )
    form = SeatForm(posted(request), initial=initial, users=seat_candidates(seat=seat))
    if request.method == "POST" and form.is_valid():
        try:
            council_seat_save(council=council, seat=seat, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The seat is saved."))
            return redirect("awards:council", council.pk)
    return _form_page(
        request,
        form,
        title=_("Change a seat") if seat else _("Seat a member"),
        back=reverse("awards:council", args=[council.pk]),
        status=422 if form.is_bound else 200,
        subtitle=str(council),
    )


@require_http_methods(["GET", "POST"])
def seat_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _seat_save(request, get_council_for_reader(request, pk), None)


@require_http_methods(["GET", "POST"])
def seat_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    seat = get_seat_for_reader(request, pk)
    return _seat_save(request, seat.council, seat)


# --- Meetings ----------------------------------------------------------------------------------


def _meeting_url(meeting: Meeting) -> str:
    return reverse("awards:meeting", args=[meeting.pk])


@require_GET
def meeting_list_view(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    require(request.user, "awards.browse_meetings")
    page = Paginator(meeting_list(user=request.user, roles=roles), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "awards/meeting_list.html",
        {"page": page, "can_run": can(request.user, "awards.run_meetings")},
    )


@require_http_methods(["GET", "POST"])
def meeting_create_view(request: HttpRequest) -> HttpResponse:
    level = get_level(request, "awards.run_meetings")
    form = MeetingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_schedule(actor=request.user, unit=level, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is scheduled: put nominations on its agenda."))
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        title=_("Schedule a council meeting"),
        back=reverse("awards:meetings"),
        status=422 if form.is_bound else 200,
        subtitle=level_name(level),
        level=level,
    )


@require_http_methods(["GET", "POST"])
def meeting_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_reader(request, pk)
    require(request.user, "awards.run_meetings", meeting)
    form = MeetingForm(
        posted(request),
        initial={"held_on": meeting.held_on, "title": meeting.title, "location": meeting.location},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_update(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        title=_("Change the meeting"),
        back=_meeting_url(meeting),
        status=422 if form.is_bound else 200,
    )


def _meeting_context(request: HttpRequest, meeting: Meeting, **extra) -> dict:
    user = request.user
    running = can(user, "awards.run_meetings", meeting)
    receipts = list(meeting.receipts.all())
    voted = {receipt.member_id for receipt in receipts}
    attendance = list(meeting.attendance.all())
    scheduled = meeting.status == Meeting.Status.SCHEDULED
    seats = list(meeting_seats(meeting)) if running and scheduled else []
    context = {
        "meeting": meeting,
        "agenda": meeting_agenda(meeting),
        "attendance": attendance,
        "present_count": sum(1 for row in attendance if row.present),
        "receipts": receipts,
        "voted": voted,
        "my_receipt": next((r for r in receipts if r.member_id == user.pk), None),
        "my_attendance": next((row for row in attendance if row.member_id == user.pk), None),
        "can_run": running,
        "can_vote": can(user, "awards.vote", meeting)
        and user.pk not in voted
        and not meeting.plain_counts,
        "results": meeting_results(meeting) if meeting.is_closed else [],
        "awaiting_written": []
        if meeting.plain_counts  # a ballot counted the old way takes no more ballots
        else [
            row
            for row in attendance
            if not row.present and row.votes and row.member_id not in voted
        ],
        "seats": seats,
    }
    if running and scheduled:
        candidates = agenda_candidates(held_on=meeting.held_on, unit_id=meeting.deciding_unit_id)
        context["agenda_form"] = extra.pop("agenda_form", None) or AgendaForm(candidates=candidates)
        context["candidates"] = list(candidates)
        context["not_ready"] = agenda_not_ready(
            held_on=meeting.held_on, unit_id=meeting.deciding_unit_id
        )
        recorded = {row.member_id: row.present for row in attendance}
        context["attendance_form"] = extra.pop("attendance_form", None) or AttendanceForm(
            seats=seats,
            initial={"present": [seat.user_id for seat in seats if recorded.get(seat.user_id)]},
        )
        context["attendance_recorded"] = bool(recorded) and set(recorded) == {
            seat.user_id for seat in seats
        }
        context["open_form"] = extra.pop("open_form", None) or BallotOpenForm()
        context["passphrase_min_length"] = PASSPHRASE_MIN_LENGTH
    if running and meeting.status == Meeting.Status.BALLOT_OPEN and not meeting.plain_counts:
        context["close_form"] = extra.pop("close_form", None) or BallotCloseForm()
    context.update(extra)
    return context


@require_GET
def meeting_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_reader(request, pk)
    template = "awards/meeting_detail.html"
    if request.htmx and request.htmx.target == "ballot-progress":
        template += "#progress"
    return render(request, template, _meeting_context(request, meeting))


@require_POST
def meeting_agenda_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_reader(request, pk)
    require(request.user, "awards.run_meetings", meeting)
    # Every nomination in review at the level validates; the service says why one is not ready.
    form = AgendaForm(request.POST, candidates=agenda_candidates(unit_id=meeting.deciding_unit_id))
    if not form.is_valid():
        context = _meeting_context(request, meeting, agenda_form=form)
        return render(request, "awards/meeting_detail.html", context, status=422)
    try:
        added = meeting_agenda_add(
            meeting=meeting, nominations=form.cleaned_data["nominations"], actor=request.user
        )
    except ValidationError as error:
        return _refused(request, error, _meeting_url(meeting))
    messages.success(request, _("%(count)s nominations put on the agenda.") % {"count": len(added)})
    return redirect(_meeting_url(meeting))


@require_POST
def meeting_agenda_remove_view(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    meeting = get_meeting_for_reader(request, pk)
    require(request.user, "awards.run_meetings", meeting)
    item = next((t for t in meeting.tallies.all() if t.nomination_id == nomination_pk), None)
    if item is None:
        raise Http404
    try:
        meeting_agenda_remove(meeting=meeting, nomination=item.nomination, actor=request.user)
    except ValidationError as error:
        return _refused(request, error, _meeting_url(meeting))
    messages.success(request, _("The nomination is back in review."))
    return redirect(_meeting_url(meeting))


@require_POST
def meeting_attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_reader(request, pk)
    require(request.user, "awards.run_meetings", meeting)
    form = AttendanceForm(request.POST, seats=list(meeting_seats(meeting)))
    if not form.is_valid():
        context = _meeting_context(request, meeting, attendance_form=form)
        return render(request, "awards/meeting_detail.html", context, status=422)
    try:
        meeting_attendance_record(
            meeting=meeting, present=form.present_members(), actor=request.user
        )
    except ValidationError as error:
        return _refused(request, error, _meeting_url(meeting))
    messages.success(request, _("The attendance is recorded."))
    return redirect(_meeting_url(meeting))


def _meeting_step(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    meeting = get_meeting_for_reader(request, pk)
    require(request.user, "awards.run_meetings", meeting)
    try:
        service(meeting=meeting, actor=request.user)
    except ValidationError as error:
        return _refused(request, error, _meeting_url(meeting))
    messages.success(request, done)
    return redirect(_meeting_url(meeting))


PASSPHRASE_FIELDS = (
    "chair_passphrase",
    "chair_passphrase_again",
    "secretary_passphrase",
    "secretary_passphrase_again",
)


@sensitive_variables("form")
def _ballot_step(request: HttpRequest, pk: int, form_class, service, form_key: str, done: str):
    """Opening and closing: the two passphrases in one form on the secretary's device (the
    chair types theirs in the room); a refusal shows on the meeting page with the form, whose
    passphrase fields come back empty."""
    meeting = get_meeting_for_reader(request, pk)
    require(request.user, "awards.run_meetings", meeting)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(meeting=meeting, actor=request.user, **form.passphrases())
        except ValidationError as error:
            # A step that no longer applies goes back to the page with a message; a refused
            # passphrase stays on the form.
            if not hasattr(error, "error_dict") and getattr(error, "code", None) != "passphrase":
                return _refused(request, error, _meeting_url(meeting))
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(_meeting_url(meeting))
    context = _meeting_context(request, meeting, **{form_key: form})
    return render(request, "awards/meeting_detail.html", context, status=422)


@sensitive_post_parameters(*PASSPHRASE_FIELDS)
@require_POST
def meeting_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _ballot_step(
        request,
        pk,
        BallotOpenForm,
        meeting_ballot_open,
        "open_form",
        _("The ballot is open: members can vote."),
    )


@sensitive_post_parameters(*PASSPHRASE_FIELDS)
@require_POST
def meeting_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_reader(request, pk)
    done = _("The ballot is closed: the results are in.")
    if meeting.plain_counts:  # opened before ballots were sealed: no key, no passphrase
        return _meeting_step(
            request,
            pk,
            lambda **kwargs: meeting_ballot_close(
                chair_passphrase="", secretary_passphrase="", **kwargs
            ),
            done,
        )
    return _ballot_step(request, pk, BallotCloseForm, meeting_ballot_close, "close_form", done)


@require_POST
def meeting_void_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_step(
        request,
        pk,
        meeting_ballot_void,
        _("The ballot is void: open it again with new passphrases; the members vote again."),
    )


@require_POST
def meeting_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_step(
        request,
        pk,
        meeting_cancel,
        _("The meeting is cancelled; its agenda is back in review."),
    )


# --- The ballot --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def ballot_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's own ballot. The page never shows what anyone chose, and the database keeps
    it only encrypted until the ballot is counted (awards.services.council.ballot_cast)."""
    meeting = get_meeting_for_reader(request, pk)
    if any(receipt.member_id == request.user.pk for receipt in meeting.receipts.all()):
        messages.info(request, _("You have voted in this meeting."))
        return redirect(_meeting_url(meeting))
    require(request.user, "awards.vote", meeting)
    votable, aside = ballot_items(meeting=meeting, member=request.user)
    form = BallotForm(posted(request), items=votable)
    if request.method == "POST" and form.is_valid():
        try:
            ballot_cast(
                meeting=meeting, member=request.user, choices=form.choices(), actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your ballot is cast. Thank you."))
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "awards/ballot.html",
        {"meeting": meeting, "form": form, "aside": aside, "member": None},
        status=422 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def written_ballot_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary enters the written ballot of an absent member: first the member, then
    their ballot (the items depend on who votes)."""
    meeting = get_meeting_for_reader(request, pk)
    require(request.user, "awards.run_meetings", meeting)
    if meeting.status != Meeting.Status.BALLOT_OPEN:
        return _refused(
            request,
            ValidationError(_("The ballot is not open.")),
            _meeting_url(meeting),
        )
    voted = {receipt.member_id for receipt in meeting.receipts.all()}
    absent = [row.member for row in meeting.attendance.all() if not row.present and row.votes]
    waiting = [member for member in absent if member.pk not in voted]
    member_id = request.POST.get("member") or request.GET.get("member")
    member = next((m for m in waiting if str(m.pk) == member_id), None)
    if member is None:
        return render(
            request,
            "awards/ballot.html",
            {"meeting": meeting, "choosing": True, "waiting": waiting},
        )
    votable, aside = ballot_items(meeting=meeting, member=member)
    form = BallotForm(posted(request), items=votable)
    if request.method == "POST" and form.is_valid():
        try:
            ballot_cast(
                meeting=meeting,
                member=member,
                choices=form.choices(),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The written ballot of %(member)s is entered.")
                % {"member": member.get_full_name()},
            )
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "awards/ballot.html",
        {"meeting": meeting, "form": form, "aside": aside, "member": member},
        status=422 if form.is_bound else 200,
    )


# --- The meeting's documents -----------------------------------------------------------------


def _docx(data: bytes, name: str) -> FileResponse:
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=DOCX)


def _council_seats_on_day(meeting: Meeting) -> list[CouncilMember]:
    return list(meeting_seats(meeting))


@require_GET
def meeting_minutes_view(request: HttpRequest, pk: int) -> FileResponse:
    meeting = get_meeting_for_reader(request, pk)
    if not meeting.is_closed:
        raise Http404  # the minutes carry the counts: none before the ballot closes
    data = minutes(meeting, meeting_results(meeting), _council_seats_on_day(meeting))
    return _docx(data, f"bien-ban-hop-hoi-dong-{meeting.held_on:%Y-%m-%d}.docx")


@require_GET
def meeting_cover_letter_view(request: HttpRequest, pk: int) -> FileResponse:
    meeting = get_meeting_for_reader(request, pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Http404
    data = cover_letter(meeting, _council_seats_on_day(meeting))
    return _docx(data, f"to-trinh-khen-thuong-{meeting.held_on:%Y-%m-%d}.docx")
