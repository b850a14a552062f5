from django.urls import path

from awards.views import campaign_review, decisions, meetings, nominations, overview, publicity

app_name = "awards"
urlpatterns = [
    path("campaigns/<slug:code>/review/", campaign_review.review_page, name="campaign_review"),
    path(
        "campaigns/<slug:code>/review/report.docx",
        campaign_review.review_docx,
        name="campaign_review_docx",
    ),
    path(
        "campaigns/<slug:code>/review/nominations/",
        campaign_review.review_nominations,
        name="campaign_review_nominations",
    ),
    path(
        "campaigns/<slug:code>/review/people/",
        campaign_review.review_people_nominations,
        name="campaign_review_people",
    ),
    path(
        "campaigns/<slug:code>/review/annex.xlsx",
        campaign_review.review_xlsx,
        name="campaign_review_xlsx",
    ),
    path("", nominations.nomination_list_view, name="list"),
    path("new/", nominations.nomination_create_view, name="create"),
    path("<int:pk>/", nominations.nomination_detail_view, name="detail"),
    path("<int:pk>/edit/", nominations.nomination_edit_view, name="edit"),
    path("<int:pk>/report.docx", nominations.nomination_report_view, name="report"),
    path("<int:pk>/initiatives/", nominations.nomination_initiatives_view, name="initiatives"),
    path("<int:pk>/attachments/", nominations.attachment_upload_view, name="attachment_upload"),
    path("<int:pk>/submit/", nominations.nomination_submit_view, name="submit"),
    path("<int:pk>/withdraw/", nominations.nomination_withdraw_view, name="withdraw"),
    path(
        "<int:pk>/screening/", nominations.nomination_screening_start_view, name="screening_start"
    ),
    path("<int:pk>/accept/", nominations.nomination_accept_view, name="accept"),
    path("<int:pk>/return/", nominations.nomination_return_view, name="return"),
    path("<int:pk>/review/", nominations.review_submit_view, name="review"),
    path("<int:pk>/conflict/", nominations.review_conflict_view, name="conflict"),
    path("attachments/<int:pk>/", nominations.attachment_download_view, name="attachment"),
    path(
        "attachments/<int:pk>/delete/", nominations.attachment_delete_view, name="attachment_delete"
    ),
    path("people/<slug:code>/", nominations.person_record_view, name="person"),
    path("units/<slug:code>/", nominations.unit_record_view, name="unit"),
    # The overview of a year's nominations, meetings ahead and publicity windows open
    path("overview/", overview.overview_view, name="overview"),
    path("overview/export.xlsx", overview.overview_export_view, name="overview_export"),
    # The council
    path("council/", meetings.council_list_view, name="councils"),
    path("council/new/", meetings.council_create_view, name="council_create"),
    path("council/<int:pk>/", meetings.council_detail_view, name="council"),
    path("council/<int:pk>/edit/", meetings.council_edit_view, name="council_edit"),
    path("council/<int:pk>/seats/new/", meetings.seat_create_view, name="seat_create"),
    path("council/seats/<int:pk>/", meetings.seat_edit_view, name="seat_edit"),
    # Meetings and the secret ballot
    path("meetings/", meetings.meeting_list_view, name="meetings"),
    path("meetings/new/", meetings.meeting_create_view, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail_view, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit_view, name="meeting_edit"),
    path("meetings/<int:pk>/agenda/", meetings.meeting_agenda_add_view, name="agenda_add"),
    path(
        "meetings/<int:pk>/agenda/<int:nomination_pk>/remove/",
        meetings.meeting_agenda_remove_view,
        name="agenda_remove",
    ),
    path("meetings/<int:pk>/attendance/", meetings.meeting_attendance_view, name="attendance"),
    path("meetings/<int:pk>/open/", meetings.meeting_open_view, name="ballot_open"),
    path("meetings/<int:pk>/close/", meetings.meeting_close_view, name="ballot_close"),
    path("meetings/<int:pk>/void/", meetings.meeting_void_view, name="ballot_void"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel_view, name="meeting_cancel"),
    path("meetings/<int:pk>/ballot/", meetings.ballot_view, name="ballot"),
    path("meetings/<int:pk>/written-ballot/", meetings.written_ballot_view, name="written_ballot"),
    path("meetings/<int:pk>/minutes.docx", meetings.meeting_minutes_view, name="minutes"),
    path(
        "meetings/<int:pk>/cover-letter.docx",
        meetings.meeting_cover_letter_view,
        name="cover_letter",
    ),
    # Publicity (the secretary's side)
    path("publicity/", publicity.publicity_list_view, name="publicity"),
    path("comments/<int:pk>/moderate/", publicity.comment_moderate_view, name="moderate"),
    path("comments/<int:pk>/matter/", publicity.comment_open_matter_view, name="comment_matter"),
    # Decisions
    path("decisions/", decisions.decision_list_view, name="decisions"),
    path("decisions/new/", decisions.decision_create_view, name="decision_create"),
    path("decisions/<int:pk>/", decisions.decision_detail_view, name="decision"),
    path("decisions/<int:pk>/revoke/", decisions.decision_revoke_view, name="decision_revoke"),
    path(
        "decisions/<int:pk>/decision.docx",
        decisions.decision_document_view,
        name="decision_document",
    ),
    path(
        "decisions/<int:pk>/awardees.xlsx",
        decisions.decision_awardees_view,
        name="decision_awardees",
    ),
    path(
        "decisions/<int:pk>/certificates.docx",
        decisions.decision_certificates_view,
        name="decision_certificates",
    ),
]
