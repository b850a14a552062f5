"""The access helpers of the commendation pages: one per kind of object.

Each loads the object with what its page reads and answers 404 for one the user may not read
(another unit's nomination, a draft for the board, a meeting they do not attend), so that ids
cannot be probed; a reader who may not take a step then gets 403 from `config.access.require`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from awards.models import (
    Council,
    CouncilMember,
    Decision,
    Meeting,
    Nomination,
    NominationAttachment,
    Publication,
    PublicComment,
)
from awards.selectors.council import council_detail, meeting_detail
from awards.selectors.decisions import decision_detail
from awards.selectors.nominations import nomination_detail
from awards.selectors.publicity import public_publication
from awards.selectors.record import person_detail, unit_detail
from campaigns.selectors import Scope, dashboard_scope
from config.access import can, require
from units.models import Person, Unit
from units.roles import roles_of


def posted(request: HttpRequest):
    """The data of a POST, even an empty one (an empty form is then invalid, not unbound)."""
    return request.POST if request.method == "POST" else None


# --- Nominations and the nominee's record ----------------------------------------------------


def get_nomination_for_reader(request: HttpRequest, pk: int) -> Nomination:
    """404 for a nomination the user may not read."""
    try:
        nomination = nomination_detail(pk=pk)
    except Nomination.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "awards.read_nomination", nomination):
        raise Http404
    return nomination


def get_attachment_for_reader(request: HttpRequest, pk: int) -> NominationAttachment:
    """A file of a nomination the user may read (from the nomination's prefetch), else 404."""
    attachment = get_object_or_404(NominationAttachment.objects.only("nomination_id"), pk=pk)
    nomination = get_nomination_for_reader(request, attachment.nomination_id)
    return next(item for item in nomination.attachments.all() if item.pk == pk)


def get_drafting_unit(request: HttpRequest) -> Unit:
    """The unit the user drafts a nomination from: the one the request names, or their first
    unit; 403 for a user who drafts from none, 404 for a unit not theirs."""
    roles = roles_of(request.user)
    units = [unit for unit in roles.units if can(request.user, "awards.draft_nomination", unit)]
    if not units:
        raise PermissionDenied
    code = request.POST.get("unit") or request.GET.get("unit")
    if not code:
        return units[0]
    for unit in units:
        if unit.code == code:
            return unit
    raise Http404


def get_person_for_reader(request: HttpRequest, code: str) -> Person:
    """404 for a person whose record the user may not read."""
    try:
        person = person_detail(code=code)
    except Person.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "awards.read_record", person.unit):
        raise Http404
    return person


def get_unit_for_reader(request: HttpRequest, code: str) -> Unit:
    """404 for a unit whose record the user may not read."""
    try:
        unit = unit_detail(code=code)
    except Unit.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "awards.read_record", unit):
        raise Http404
    return unit


# --- The council and its meetings --------------------------------------------------------------


def get_council_for_reader(request: HttpRequest, pk: int) -> Council:
    """404 for a user who may not see the council (another unit's, for a unit's members)."""
    if not can(request.user, "awards.read_council"):
        raise Http404
    try:
        council = council_detail(pk=pk)
    except Council.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "awards.read_council", council):
        raise Http404
    return council


# --- Levels (Law 2022 Art 80) ------------------------------------------------------------------


def get_level(request: HttpRequest, permission: str) -> Unit | None:
    """The level a user acts at on a page that makes something new (a meeting, a council, a
    decision): the unit the request names (`unit`, a code), else the Ministry (None) for its
    secretary, else their first unit where they may. 403 for a user who may act at no level
    or names their own unit where another role acts, 404 for another unit named."""
    roles = roles_of(request.user)
    ids = roles.secretary_unit_ids | roles.head_unit_ids
    mine = list(Unit.objects.filter(pk__in=ids, commendation_authority=True).order_by("path"))
    units = [unit for unit in mine if can(request.user, permission, unit)]
    code = request.POST.get("unit") or request.GET.get("unit")
    if code:
        for unit in units:
            if unit.code == code:
                return unit
        if any(unit.code == code for unit in mine):
            raise PermissionDenied  # their unit, another role's step
        raise Http404
    if roles.is_secretary:  # the Ministry's secretary acts for the Ministry
        return None
    if units:
        return units[0]
    raise PermissionDenied


def get_seat_for_reader(request: HttpRequest, pk: int) -> CouncilMember:
    """A seat of a council the user may see (from the council's prefetch), else 404."""
    seat = CouncilMember.objects.filter(pk=pk).only("council_id").first()
    if seat is None:
        raise Http404
    council = get_council_for_reader(request, seat.council_id)
    return next(item for item in council.members.all() if item.pk == pk)


def get_meeting_for_reader(request: HttpRequest, pk: int) -> Meeting:
    """404 for a meeting the user may not read."""
    try:
        meeting = meeting_detail(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "awards.read_meeting", meeting):
        raise Http404
    return meeting


# --- Publicity and decisions -----------------------------------------------------------------


def get_publication_for_public(request: HttpRequest, token: str) -> Publication:
    """A publication whose window is open today, for anyone; 404 otherwise."""
    try:
        return public_publication(token=token)
    except Publication.DoesNotExist:
        raise Http404 from None


def get_comment_for_moderator(request: HttpRequest, pk: int) -> PublicComment:
    """404 for a user who may not read publicity, 403 for one who reads it but may not
    moderate, 404 for an unknown comment."""
    if not can(request.user, "awards.read_publicity"):
        raise Http404
    require(request.user, "awards.moderate_comments")
    return get_object_or_404(PublicComment.objects.select_related("publication"), pk=pk)


def get_decision_for_reader(request: HttpRequest, pk: int) -> Decision:
    """404 for a user who may not read decisions, or this one (another unit's)."""
    if not can(request.user, "awards.read_decisions"):
        raise Http404
    try:
        decision = decision_detail(pk=pk)
    except Decision.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "awards.read_decisions", decision):
        raise Http404
    return decision


def get_recording_level(request: HttpRequest) -> tuple[Unit | None, bool]:
    """The level whose decisions the user records on the decisions' list, and whether they
    record any: (None, False) for a reader."""
    try:
        return get_level(request, "awards.record_decisions"), True
    except PermissionDenied:
        return None, False


# --- The overview ----------------------------------------------------------------------------


def get_overview_scope(request: HttpRequest) -> Scope:
    """The reader's scope of the awards overview, or 404 for readers without one (officers,
    people of no unit), as for another unit's objects."""
    scope = dashboard_scope(roles_of(request.user))
    if scope is None or not can(request.user, "awards.view_overview"):
        raise Http404
    return scope
