"""Nominations, their screening and review, and the nominee's record.

Every view reaches a nomination through `get_nomination_for_reader` (awards.views.access), which
answers 404 for a nomination the user may not read (another unit's, or a draft for the board),
so that ids cannot be probed; a reader who may not take a step gets 403.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.documents.blocks import DOCX, file_slug
from awards.documents.report import achievement_report
from awards.forms import (
    AttachmentForm,
    ConflictForm,
    NominationCreateForm,
    NominationEditForm,
    NominationFilterForm,
    OpenMatterForm,
    ReturnForm,
    ReviewForm,
    SubmitForm,
    WithdrawForm,
)
from awards.models import Initiative, Nomination, Publication, PublicComment
from awards.selectors.catalogue import terms_in_force
from awards.selectors.council import council_members, nomination_ballots
from awards.selectors.levels import deciding_unit_for, level_members, level_name
from awards.selectors.nominations import (
    dossier_checklist,
    nomination_list,
    nominations_visible_to,
    nominee_nominations,
    reviewers_pending,
    spare_initiatives,
    units_with_nominations,
)
from awards.selectors.record import nominee_history, unit_people
from awards.services.nominations import (
    attachment_add,
    attachment_remove,
    nomination_attach_initiative,
    nomination_detach_initiative,
    nomination_draft,
    nomination_return,
    nomination_screening_accept,
    nomination_screening_start,
    nomination_submit,
    nomination_update,
    nomination_withdraw,
    review_declare_conflict,
    review_submit,
)
from awards.services.publicity import first_meeting_day, open_matters_of
from awards.views.access import (
    get_attachment_for_reader,
    get_drafting_unit,
    get_nomination_for_reader,
    get_person_for_reader,
    get_unit_for_reader,
)
from config.access import can, error_message, require
from units.roles import roles_of


def _detail_url(nomination: Nomination) -> str:
    return reverse("awards:detail", args=[nomination.pk])


# --- The list (everyone's queue) --------------------------------------------------------------


@require_GET
def nomination_list_view(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    if not (roles.is_unit_member or roles.sees_all_units or roles.on_a_unit_council):
        raise Http404
    scope = nominations_visible_to(request.user, roles)
    form = NominationFilterForm(
        request.GET or None,
        units=units_with_nominations(scope),
        board=roles.is_board_member or roles.on_a_unit_council,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    nominations = nomination_list(
        user=request.user,
        roles=roles,
        award_code=filters["award"].code if filters.get("award") else "",
        unit_code=filters["unit"].code if filters.get("unit") else "",
        status=filters.get("status") or "",
        eligibility=filters.get("eligibility") or "",
        year=filters.get("year"),
        query=filters.get("q") or "",
        review_state=filters.get("review") or "",
        sort=filters.get("sort") or "newest",
    )
    page = Paginator(nominations, 50).get_page(request.GET.get("page"))
    template = (
        "awards/nomination_list.html#results" if request.htmx else "awards/nomination_list.html"
    )
    drafting_units = [
        unit for unit in roles.units if can(request.user, "awards.draft_nomination", unit)
    ]
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "drafting_units": drafting_units,
            "council_size": council_members().count() if roles.sees_all_units else None,
        },
    )


# --- Drafting ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def nomination_create_view(request: HttpRequest) -> HttpResponse:
    unit = get_drafting_unit(request)
    people = list(unit_people(unit))
    form = NominationCreateForm(request.POST or None, unit=unit, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = nomination_draft(
                proposing_unit=unit,
                award_type=form.cleaned_data["award_type"],
                year=form.cleaned_data["year"],
                actor=request.user,
                **form.cleaned_data["nominee"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The draft is saved and its eligibility checked. Complete the dossier below."),
            )
            return redirect(_detail_url(nomination))
    roles = roles_of(request.user)
    other_units = [
        other
        for other in roles.units
        if other.pk != unit.pk and can(request.user, "awards.draft_nomination", other)
    ]
    return render(
        request,
        "awards/nomination_form.html",
        {"form": form, "unit": unit, "other_units": other_units, "creating": True},
    )


@require_http_methods(["GET", "POST"])
def nomination_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_reader(request, pk)
    require(request.user, "awards.edit_nomination", nomination)
    form = NominationEditForm(request.POST or None, instance=nomination)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination_update(
                nomination=nomination,
                actor=request.user,
                version=data["version"],
                award_type=data["award_type"],
                year=data["year"],
                report_background=data["report_background"],
                report_achievements=data["report_achievements"],
                report_awards=data["report_awards"],
                justification=data["justification"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The nomination is saved and its eligibility checked."))
            return redirect(_detail_url(nomination))
    return render(
        request,
        "awards/nomination_form.html",
        {"form": form, "nomination": nomination, "unit": nomination.proposing_unit},
    )


# --- The nomination's page ---------------------------------------------------------------


def _detail_context(request: HttpRequest, nomination: Nomination, **forms) -> dict:
    user = request.user
    can_do = {
        name: can(user, f"awards.{name}_nomination", nomination)
        for name in ("edit", "submit", "withdraw", "screen", "review")
    }
    can_do["read_reviews"] = can(user, "awards.read_reviews", nomination)
    reviews = list(nomination.reviews.all())
    mine = next((review for review in reviews if review.member_id == user.pk), None)
    # A member sees the others' reviews only once their own is in.
    show_reviews = can_do["read_reviews"] or bool(mine and mine.submitted_at)
    steps = list(nomination.steps.all())
    returned = next(
        (step for step in reversed(steps) if step.to_status == Nomination.Status.RETURNED), None
    )
    history = nominee_history(person=nomination.person, unit=nomination.unit)
    context = {
        "nomination": nomination,
        "can": can_do,
        "steps": steps,
        "return_step": returned if nomination.status == Nomination.Status.RETURNED else None,
        "eligibility": nomination.eligibility,
        "checklist": dossier_checklist(nomination),
        "history": history,
        "spare_initiatives": spare_initiatives(nomination) if can_do["edit"] else [],
        "reviews": [review for review in reviews if review.submitted_at] if show_reviews else [],
        "conflicts": [review for review in reviews if review.conflict_of_interest]
        if show_reviews
        else [],
        "my_review": mine,
        "is_nominee": bool(nomination.person_id and nomination.person.user_id == user.pk),
        "pending_reviewers": reviewers_pending(
            nomination, list(level_members(nomination.deciding_unit_id))
        )
        if can_do["read_reviews"] and nomination.is_with_the_board
        else [],
        "submit_form": SubmitForm(initial={"justification": nomination.justification}),
        "return_form": ReturnForm(),
        "withdraw_form": WithdrawForm(),
        "review_form": ReviewForm(),
        "conflict_form": ConflictForm(),
        "attachment_form": AttachmentForm(),
    }
    context.update(public_comments_context(request, nomination))
    context["ballots"] = nomination_ballots(nomination)
    context["terms_today"] = terms_in_force(nomination.award_type, timezone.localdate())
    context["level_council"] = level_name(
        nomination.deciding_unit
        if nomination.submitted_at
        else deciding_unit_for(
            award_type=nomination.award_type, proposing_unit=nomination.proposing_unit
        )
    )
    context["can"]["read_decisions"] = can(user, "awards.read_decisions")
    context.update(forms)
    return context


def public_comments_context(request: HttpRequest, nomination: Nomination) -> dict:
    """The publicity section of a nomination's page: every comment with its moderation for the
    secretary and the administrator, the approved ones for the other readers, with how many
    are held back; the nominee's open matters (NĐ 152/2025 Art 44.2: the comments reach those
    who decide)."""
    publication = getattr(nomination, "publication", None)
    everything = can(request.user, "awards.read_publicity")
    comments = list(publication.comments.all()) if publication else []
    shown = [c for c in comments if c.status == PublicComment.Status.APPROVED]
    moderating = can(request.user, "awards.moderate_comments")
    return {
        "nomination": nomination,
        "publication": publication,
        "comments": comments if everything else shown,
        "comments_shown": len(shown),
        "comments_held": len(comments) - len(shown),
        "first_meeting_day": first_meeting_day(publication) if publication else None,
        "open_matters": list(open_matters_of(nomination).order_by("opened_on", "pk"))
        if everything or roles_of(request.user).is_board_member
        else [],
        "can_moderate": moderating,
        "matter_form": OpenMatterForm() if moderating else None,
    }


@require_GET
def nomination_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_reader(request, pk)
    return render(request, "awards/nomination_detail.html", _detail_context(request, nomination))


def _rerender(request: HttpRequest, pk: int, status: int = 200, **forms) -> HttpResponse:
    nomination = get_nomination_for_reader(request, pk)
    return render(
        request,
        "awards/nomination_detail.html",
        _detail_context(request, nomination, **forms),
        status=status,
    )


def _step_done(request: HttpRequest, pk: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("awards:detail", args=[pk]))


def _step_refused(request: HttpRequest, pk: int, error: ValidationError) -> HttpResponse:
    messages.error(request, error_message(error))
    return redirect(reverse("awards:detail", args=[pk]))


@require_GET
def nomination_report_view(request: HttpRequest, pk: int) -> FileResponse:
    """The achievement report (báo cáo thành tích) as a DOCX, filled from the nomination."""
    nomination = get_nomination_for_reader(request, pk)
    return FileResponse(
        io.BytesIO(achievement_report(nomination)),
        as_attachment=True,
        filename=f"bao-cao-thanh-tich-{file_slug(str(nomination.nominee))}.docx",
        content_type=DOCX,
    )


@require_POST
def nomination_initiatives_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach or detach one of the nominee's initiatives; htmx swaps the dossier section."""
    nomination = get_nomination_for_reader(request, pk)
    require(request.user, "awards.edit_nomination", nomination)
    initiative = get_object_or_404(Initiative, pk=request.POST.get("initiative") or 0)
    service = (
        nomination_detach_initiative
        if request.POST.get("action") == "detach"
        else nomination_attach_initiative
    )
    error = None
    try:
        service(nomination=nomination, initiative=initiative, actor=request.user)
    except ValidationError as refused:
        error = refused
    if not request.htmx:
        if error is not None:
            return _step_refused(request, pk, error)
        return redirect(_detail_url(nomination))
    nomination = get_nomination_for_reader(request, pk)
    context = _detail_context(request, nomination)
    context["dossier_errors"] = error.messages if error is not None else []
    return render(request, "awards/nomination_detail.html#dossier", context)


@require_POST
def attachment_upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_reader(request, pk)
    require(request.user, "awards.edit_nomination", nomination)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(
                nomination=nomination,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _step_done(request, pk, _("The file is attached."))
    return _rerender(request, pk, status=400, attachment_form=form)


@require_GET
def attachment_download_view(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_attachment_for_reader(request, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
def attachment_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_attachment_for_reader(request, pk)
    nomination = attachment.nomination
    require(request.user, "awards.edit_nomination", nomination)
    try:
        attachment_remove(attachment=attachment, actor=request.user)
    except ValidationError as error:
        return _step_refused(request, nomination.pk, error)
    return _step_done(request, nomination.pk, _("The file is removed."))


# --- Workflow steps ------------------------------------------------------------------------


@require_POST
def nomination_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_reader(request, pk)
    require(request.user, "awards.submit_nomination", nomination)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _rerender(request, pk, status=400, submit_form=form)
    try:
        nomination_submit(
            nomination=nomination,
            actor=request.user,
            justification=form.cleaned_data["justification"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _rerender(request, pk, status=400, submit_form=form)
    return _step_done(request, pk, _("The nomination is submitted to the board's secretary."))


@require_POST
def nomination_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_reader(request, pk)
    require(request.user, "awards.withdraw_nomination", nomination)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        nomination_withdraw(
            nomination=nomination,
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as error:
        return _step_refused(request, pk, error)
    return _step_done(request, pk, _("The nomination is withdrawn."))


@require_POST
def nomination_screening_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_reader(request, pk)
    require(request.user, "awards.screen_nomination", nomination)
    try:
        nomination_screening_start(nomination=nomination, actor=request.user)
    except ValidationError as error:
        return _step_refused(request, pk, error)
    return _step_done(request, pk, _("Screening started."))


@require_POST
def nomination_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_reader(request, pk)
    require(request.user, "awards.screen_nomination", nomination)
    try:
        accepted = nomination_screening_accept(nomination=nomination, actor=request.user)
    except ValidationError as error:
        return _step_refused(request, pk, error)
    publication = Publication.objects.filter(nomination=accepted).first()
    if publication is None:
        return _step_done(request, pk, _("The nomination goes to the board's review."))
    return _step_done(
        request,
        pk,
        _(
            "The nomination goes to the board's review and is published for public comment "
            "from %(start)s to %(end)s; it may go before a meeting held from %(first)s."
        )
        % {
            "start": date_format(publication.opens_on, "SHORT_DATE_FORMAT"),
            "end": date_format(publication.closes_on, "SHORT_DATE_FORMAT"),
            "first": date_format(first_meeting_day(publication), "SHORT_DATE_FORMAT"),
        },
    )


@require_POST
def nomination_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_reader(request, pk)
    require(request.user, "awards.screen_nomination", nomination)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _rerender(request, pk, status=400, return_form=form)
    try:
        nomination_return(
            nomination=nomination, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _step_refused(request, pk, error)
    return _step_done(request, pk, _("The nomination is returned to the unit."))


@require_POST
def review_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_reader(request, pk)
    require(request.user, "awards.review_nomination", nomination)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _rerender(request, pk, status=400, review_form=form)
    try:
        review_submit(
            nomination=nomination,
            actor=request.user,
            recommendation=form.cleaned_data["recommendation"],
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _rerender(request, pk, status=400, review_form=form)
    return _step_done(request, pk, _("Your review is recorded."))


@require_POST
def review_conflict_view(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_reader(request, pk)
    require(request.user, "awards.review_nomination", nomination)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return _rerender(request, pk, status=400, conflict_form=form)
    try:
        review_declare_conflict(
            nomination=nomination,
            actor=request.user,
            reason=form.cleaned_data["conflict_reason"],
        )
    except ValidationError as error:
        return _step_refused(request, pk, error)
    return _step_done(
        request, pk, _("Your conflict of interest is recorded: you stay out of this review.")
    )


# --- The nominee's record ------------------------------------------------------------------


@require_GET
def person_record_view(request: HttpRequest, code: str) -> HttpResponse:
    person = get_person_for_reader(request, code)
    nominations = nominee_nominations(
        user=request.user, roles=roles_of(request.user), person=person
    )
    return render(
        request,
        "awards/person_record.html",
        {
            "person": person,
            "history": nominee_history(person=person),
            "nominations": nominations,
        },
    )


@require_GET
def unit_record_view(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for_reader(request, code)
    nominations = nominee_nominations(user=request.user, roles=roles_of(request.user), unit=unit)
    template = "awards/unit_record.html#record" if request.htmx else "awards/unit_record.html"
    return render(
        request,
        template,
        {
            "unit": unit,
            "history": nominee_history(unit=unit),
            "nominations": nominations,
            "people": unit_people(unit),
            "can_draft": can(request.user, "awards.draft_nomination", unit),
        },
    )
