"""The board's review of a campaign: its figures per year, the report (DOCX) and its annex
(XLSX), and the units and people it proposes for the review's awards."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from awards.documents.blocks import DOCX, XLSX, file_slug
from awards.documents.campaign_review import (
    percent,
    review_document,
    review_workbook,
    table_awards,
    table_blocs,
    table_kinds,
    table_leaders,
    table_objectives,
    table_reporting,
)
from awards.models import AwardType
from awards.selectors.campaign_review import PersonResult, review_figures, review_people
from awards.services.review_awards import (
    review_nominations_start,
    review_people_nominations_start,
)
from campaigns.models import Campaign
from campaigns.selectors.reviews import review_reports_received
from campaigns.views.access import get_campaign_for_reader
from config.access import can, error_message, require
from units.models import Person, Unit


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Review"),
        choices=[
            ("final", _("Final review (tổng kết)")),
            ("midterm", _("Mid-term review (sơ kết)")),
        ],
    )
    number = forms.CharField(label=_("Number of the report"), max_length=60, initial="…/BC-HĐTĐKT")
    day = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    signer = forms.CharField(label=_("Signed by"), max_length=150, required=False)


class ReviewAwardsForm(forms.Form):
    award_type = forms.ModelChoiceField(
        label=_("Award"),
        queryset=AwardType.objects.filter(
            active=True, recipient__in=[AwardType.Recipient.COLLECTIVE, AwardType.Recipient.BOTH]
        ).order_by("order", "name"),
    )
    year = forms.IntegerField(label=_("Year of achievement"), min_value=2000, max_value=2100)
    units = forms.ModelMultipleChoiceField(
        label=_("Units with the best results"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, campaign: Campaign, leading: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["units"].queryset = Unit.objects.filter(participations__campaign=campaign)
        ranked = {row.unit.pk: row for row in leading}
        self.fields["units"].choices = [
            (row.unit.pk, f"{row.unit.name} ({percent(row.overall)})") for row in ranked.values()
        ]
        self.initial.setdefault("units", list(ranked))
        self.initial.setdefault("year", campaign.ends_on.year)


class ReviewPeopleForm(forms.Form):
    award_type = forms.ModelChoiceField(
        label=_("Award"),
        queryset=AwardType.objects.filter(
            active=True, recipient__in=[AwardType.Recipient.INDIVIDUAL, AwardType.Recipient.BOTH]
        ).order_by("order", "name"),
    )
    year = forms.IntegerField(label=_("Year of achievement"), min_value=2000, max_value=2100)
    people = forms.ModelMultipleChoiceField(
        label=_("People with the best record"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, campaign: Campaign, best: list[PersonResult], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["people"].queryset = Person.objects.filter(
            active=True, unit__participations__campaign=campaign
        ).select_related("unit")
        self.fields["people"].choices = [
            (
                row.person.pk,
                _("%(name)s, %(unit)s (%(titles)s titles, %(initiatives)s initiatives)")
                % {
                    "name": row.person.full_name,
                    "unit": row.person.unit.name,
                    "titles": row.titles,
                    "initiatives": row.initiatives,
                },
            )
            for row in best
        ]
        self.initial.setdefault("people", [row.person.pk for row in best])
        self.initial.setdefault("year", campaign.ends_on.year)


def _campaign(request: HttpRequest, code: str) -> Campaign:
    campaign = get_campaign_for_reader(request, code)
    if campaign.status == Campaign.Status.DRAFT or not can(
        request.user, "campaigns.manage_campaign", campaign
    ):
        raise Http404
    return campaign


@require_GET
def review_page(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _campaign(request, code)
    today = timezone.localdate()
    review = review_figures(campaign=campaign, today=today)
    form = ReviewForm(initial={"day": today})
    awards_form = ReviewAwardsForm(campaign=campaign, leading=review.whole.leading)
    people_form = ReviewPeopleForm(campaign=campaign, best=review_people(campaign=campaign))
    tables = [
        (_("Reporting rate and punctuality"), *table_reporting(review)),
        (_("Attainment per objective"), *table_objectives(review)),
        (_("Attainment per kind of unit"), *table_kinds(review)),
        (_("Attainment per bloc"), *table_blocs(review)),
        (_("Leading and lagging units"), *table_leaders(review)),
        (_("Awards granted and initiatives recognised"), *table_awards(review)),
    ]
    return render(
        request,
        "awards/campaign_review.html",
        {
            "campaign": campaign,
            "form": form,
            "tables": tables,
            "awards_form": awards_form,
            "people_form": people_form,
            "unit_reviews": review_reports_received(campaign=campaign),
        },
    )


@require_GET
def review_docx(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _campaign(request, code)
    today = timezone.localdate()
    form = ReviewForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "awards/campaign_review.html",
            {"campaign": campaign, "form": form, "tables": []},
            status=400,
        )
    data = form.cleaned_data
    review = review_figures(campaign=campaign, today=today)
    content = review_document(
        review,
        number=data["number"],
        day=data["day"] or today,
        signer=data["signer"],
        final=data["kind"] == "final",
    )
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"bao-cao-{data['kind']}-{file_slug(campaign.code)}.docx",
        content_type=DOCX,
    )


@require_GET
def review_xlsx(request: HttpRequest, code: str) -> FileResponse:
    campaign = _campaign(request, code)
    review = review_figures(campaign=campaign, today=timezone.localdate())
    return FileResponse(
        io.BytesIO(review_workbook(review)),
        as_attachment=True,
        filename=f"phu-luc-tong-ket-{file_slug(campaign.code)}.xlsx",
        content_type=XLSX,
    )


def _start(request: HttpRequest, form: forms.Form, start, picked: str, done) -> HttpResponse:
    """Start the nominations picked on the form through `start` (all or none), and say so."""
    campaign = form.campaign
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(e) for e in form.errors.values()))
        return redirect("awards:campaign_review", campaign.code)
    data = form.cleaned_data
    try:
        created = start(
            campaign=campaign,
            award_type=data["award_type"],
            year=data["year"],
            actor=request.user,
            **{picked: list(data[picked])},
        )
    except ValidationError as error:
        messages.error(request, error_message(error))
        return redirect("awards:campaign_review", campaign.code)
    messages.success(request, done % {"count": len(created)})
    return redirect("awards:campaign_review", campaign.code)


@require_POST
def review_nominations(request: HttpRequest, code: str) -> HttpResponse:
    """Start the nominations of the units picked, in one go (all or none)."""
    campaign = _campaign(request, code)
    require(request.user, "campaigns.write_review", campaign)
    review = review_figures(campaign=campaign, today=timezone.localdate())
    form = ReviewAwardsForm(request.POST, campaign=campaign, leading=review.whole.leading)
    done = _("%(count)s nominations were started; each unit completes and submits its own.")
    return _start(request, form, review_nominations_start, "units", done)


@require_POST
def review_people_nominations(request: HttpRequest, code: str) -> HttpResponse:
    """Start the nominations of the people picked, in one go (all or none)."""
    campaign = _campaign(request, code)
    require(request.user, "campaigns.write_review", campaign)
    form = ReviewPeopleForm(request.POST, campaign=campaign, best=review_people(campaign=campaign))
    done = _("%(count)s nominations were started; each person's unit completes and submits them.")
    return _start(request, form, review_people_nominations_start, "people", done)
