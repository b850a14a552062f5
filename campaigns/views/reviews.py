"""Review reports (sơ kết, tổng kết): the report page of a review period and the autosave of its
sections. Submitting, accepting and returning go through the report views and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.forms import ReviewSectionsForm
from campaigns.models import ProgressReport
from campaigns.selectors.reviews import review_sections, unit_review_figures
from campaigns.services import reports as report_services
from campaigns.views.access import get_report_for_editor
from config.access import error_message
from config.errors import StaleEdit

PAGE = "campaigns/review_report.html"


def review_page(request: HttpRequest, report: ProgressReport, context: dict) -> HttpResponse:
    """The review's sections beside the unit's figures for the whole campaign (not cached: a
    review report is written once per campaign review, not read every day)."""
    sections = review_sections(report=report)
    context.update(
        {
            "sections": sections,
            "form": ReviewSectionsForm(
                initial={name: getattr(sections, name) for name in sections.SECTIONS}
                | {"version": sections.version}
            ),
            "years": unit_review_figures(
                campaign=report.period.campaign, unit=report.unit, today=timezone.localdate()
            ),
        }
    )
    return render(request, PAGE, context)


@require_POST
def review_save(request: HttpRequest, report_id: int) -> HttpResponse:
    """Autosave of the sections (htmx answers the status line; a plain post goes back to the
    page with a message). A stale edit is refused (409) with the current text kept."""
    report = get_report_for_editor(request, report_id)
    sections = review_sections(report=report)
    form = ReviewSectionsForm(request.POST)
    context = {"report": report, "sections": sections, "can_edit": True, "form": form}
    status, error = 200, None
    if not form.is_valid():
        status = 422
        error = " ".join(
            f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
        )
    else:
        data = form.cleaned_data
        try:
            context["sections"] = report_services.review_sections_save(
                sections=sections,
                texts={name: data[name] for name in sections.SECTIONS},
                version=data["version"],
                actor=request.user,
            )
        except StaleEdit:
            status = 409
            error = _(
                "Someone else saved this review since you opened it; reload the page to see "
                "their text (yours was not saved)."
            )
        except ValidationError as exc:
            status, error = 422, error_message(exc)
    context.update({"saved": status == 200, "error": error})
    if request.htmx:
        return render(request, f"{PAGE}#review_status", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect(reverse("reports:report", args=[report.pk]))
