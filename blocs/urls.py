from django.urls import path

from blocs.views import meeting, pages, scoring

app_name = "blocs"

Y = "<slug:code>/<int:year>/"
S = Y + "scoring/<slug:unit_code>/"

urlpatterns = [
    path("", pages.bloc_list, name="list"),
    path("rankings/", pages.rankings_fragment, name="rankings"),
    path("<slug:code>/", pages.bloc_latest, name="bloc"),
    path(Y, pages.year_page, name="year"),
    path(Y + "setup/", pages.setup, name="setup"),
    path(Y + "covenant/add/", pages.commitment_add_view, name="commitment_add"),
    path(Y + "covenant/<int:pk>/remove/", pages.commitment_remove_view, name="commitment_remove"),
    path(Y + "covenant/sign/", pages.covenant_sign_view, name="sign"),
    path(Y + "table/", pages.table_page, name="table"),
    path(Y + "table.xlsx", pages.table_xlsx, name="table_xlsx"),
    path(Y + "scores.xlsx", pages.scores_xlsx, name="scores_xlsx"),
    path(Y + "ranking.docx", pages.ranking_docx, name="ranking_docx"),
    path(Y + "publish/", scoring.publish_view, name="publish"),
    path(Y + "meeting/", meeting.meeting_page, name="meeting"),
    path(S, scoring.scoring_page, name="scoring"),
    path(S + "score/<int:pk>/", scoring.score_save_view, name="score_save"),
    path(S + "check/<int:pk>/", scoring.score_check_view, name="score_check"),
    path(S + "submit/", scoring.scoring_submit_view, name="submit"),
    path(S + "confirm/", scoring.scoring_confirm_view, name="confirm"),
    path(S + "return/", scoring.scoring_return_view, name="return"),
]
