from django.urls import path

from awards import views

app_name = "awards"
urlpatterns = [
    path("", views.nomination_list_view, name="list"),
    path("new/", views.nomination_create_view, name="create"),
    path("<int:pk>/", views.nomination_detail_view, name="detail"),
    path("<int:pk>/edit/", views.nomination_edit_view, name="edit"),
    path("<int:pk>/initiatives/", views.nomination_initiatives_view, name="initiatives"),
    path("<int:pk>/attachments/", views.attachment_upload_view, name="attachment_upload"),
    path("<int:pk>/submit/", views.nomination_submit_view, name="submit"),
    path("<int:pk>/withdraw/", views.nomination_withdraw_view, name="withdraw"),
    path("<int:pk>/screening/", views.nomination_screening_start_view, name="screening_start"),
    path("<int:pk>/accept/", views.nomination_accept_view, name="accept"),
    path("<int:pk>/return/", views.nomination_return_view, name="return"),
    path("<int:pk>/review/", views.review_submit_view, name="review"),
    path("<int:pk>/conflict/", views.review_conflict_view, name="conflict"),
    path("attachments/<int:pk>/", views.attachment_download_view, name="attachment"),
    path("attachments/<int:pk>/delete/", views.attachment_delete_view, name="attachment_delete"),
    path("people/<slug:code>/", views.person_record_view, name="person"),
    path("units/<slug:code>/", views.unit_record_view, name="unit"),
]
