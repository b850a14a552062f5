"""Publicity: the public pages (no login) and the secretary's moderation of comments.

The public pages read only Publication rows, which hold a copy of what is published: the
nominee's name and position, the unit, the award and the summary of achievements. Nothing of
the dossier (eligibility, reviews, files, internal ids) can reach them. Comments are throttled
per client address (config.addresses, so each client behind the proxy has its own count) with
the cache, and shown once the secretary approves them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.forms import CommentFilterForm, OpenMatterForm, PublicCommentForm
from awards.selectors.publicity import public_publications, publication_list
from awards.services.publicity import (
    open_matter_from_comment,
    public_comment_add,
    public_comment_moderate,
)
from awards.views.access import (
    get_comment_for_moderator,
    get_nomination_for_reader,
    get_publication_for_public,
    posted,
)
from awards.views.nominations import public_comments_context
from config.access import error_message, require
from config.addresses import client_address

# --- The public pages --------------------------------------------------------------------------


def _throttle_key(request: HttpRequest) -> str:
    return f"public-comment:addr:{client_address(request)}"


def _may_comment(request: HttpRequest) -> bool:
    return (cache.get(_throttle_key(request)) or 0) < settings.PUBLIC_COMMENT_LIMIT


def _commented(request: HttpRequest) -> None:
    key = _throttle_key(request)
    # add() only sets when absent, so the window starts at the first comment.
    cache.add(key, 0, timeout=settings.PUBLIC_COMMENT_WINDOW)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.PUBLIC_COMMENT_WINDOW)


@login_not_required
@require_GET
def public_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "awards/public_list.html", {"publications": list(public_publications())})


@login_not_required
@require_http_methods(["GET", "POST"])
def public_detail_view(request: HttpRequest, token: str) -> HttpResponse:
    publication = get_publication_for_public(request, token)
    form = PublicCommentForm(posted(request))
    status = 200
    if request.method == "POST":
        if not _may_comment(request):
            form.add_error(
                None,
                _("Many comments were sent from your connection: please try again later."),
            )
            status = 429
        elif form.is_valid():
            try:
                public_comment_add(publication=publication, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _commented(request)
                messages.success(
                    request,
                    _("Thank you: your comment is sent to the council's secretary."),
                )
                return redirect(reverse("public:detail", args=[token]) + "#comment")
        if status == 200:
            status = 422
    return render(
        request,
        "awards/public_detail.html",
        {"publication": publication, "form": form},
        status=status,
    )


# --- The secretary ---------------------------------------------------------------------------


@require_GET
def publicity_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "awards.read_publicity")
    form = CommentFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page = Paginator(publication_list(status=status), 50).get_page(request.GET.get("page"))
    return render(request, "awards/publicity_list.html", {"form": form, "page": page})


@require_POST
def comment_moderate_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_moderator(request, pk)
    nomination_id = comment.publication.nomination_id
    try:
        public_comment_moderate(
            comment=comment, status=request.POST.get("status", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, error_message(error))
    url = reverse("awards:detail", args=[nomination_id])
    if request.htmx:
        nomination = get_nomination_for_reader(request, nomination_id)
        return render(
            request,
            "awards/nomination_detail.html#comments",
            public_comments_context(request, nomination),
        )
    return redirect(url + "#comments")


@require_POST
def comment_open_matter_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary records the complaint a comment raises as an open matter of the nominee."""
    comment = get_comment_for_moderator(request, pk)
    nomination_id = comment.publication.nomination_id
    form = OpenMatterForm(request.POST)
    if form.is_valid():
        try:
            open_matter_from_comment(comment=comment, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_message(error))
        else:
            messages.success(
                request,
                _("The matter is recorded: the nomination waits until it is resolved."),
            )
    else:
        messages.error(
            request,
            " ".join(str(message) for errors in form.errors.values() for message in errors),
        )
    return redirect(reverse("awards:detail", args=[nomination_id]) + "#comments")
