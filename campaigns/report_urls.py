"""Reports hang off /reports/ so their URLs stay short on a phone."""

from django.urls import path

from campaigns.views import reports, reviews

app_name = "reports"
urlpatterns = [
    path(
        "units/<slug:unit_code>/periods/<int:period_id>/",
        reports.report_for_period,
        name="report_for_period",
    ),
    path(
        "units/<slug:unit_code>/periods/<int:period_id>/start/",
        reports.report_start,
        name="report_start",
    ),
    path("<int:report_id>/", reports.report_page, name="report"),
    path("<int:report_id>/lines/<int:line_id>/", reports.line_save, name="line_save"),
    path("<int:report_id>/values/<int:value_id>/", reports.value_save, name="value_save"),
    path(
        "<int:report_id>/lines/<int:line_id>/evidence/",
        reports.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "<int:report_id>/evidence/<int:evidence_id>/",
        reports.evidence_download,
        name="evidence_download",
    ),
    path(
        "<int:report_id>/evidence/<int:evidence_id>/delete/",
        reports.evidence_delete,
        name="evidence_delete",
    ),
    path("<int:report_id>/review/", reviews.review_save, name="review_save"),
    path("<int:report_id>/submit/", reports.report_submit, name="report_submit"),
    path("<int:report_id>/accept/", reports.report_accept, name="report_accept"),
    path("<int:report_id>/return/", reports.report_return, name="report_return"),
    path("<int:report_id>/reopen/", reports.report_reopen, name="report_reopen"),
]
