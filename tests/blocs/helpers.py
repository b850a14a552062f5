from decimal import Decimal

from blocs.models import Score
from blocs.services.scoring import score_save, scoring_confirm, scoring_start, scoring_submit


def score_all(world, code: str, points: dict, *, submit=True, confirm=False, actor=None):
    """Score the unit `code`: points per criterion key (manual ones), with evidence."""
    scoring = scoring_start(bloc_year=world["year"], unit=world["units"][code])
    for key, value in points.items():
        score = Score.objects.get(scoring=scoring, criterion=world["criteria"][key])
        score_save(score=score, points=Decimal(value), evidence=f"Bằng chứng {key}", actor=actor)
    if submit:
        scoring = scoring_submit(scoring=scoring, actor=actor)
    if confirm:
        scoring = scoring_confirm(scoring=scoring, actor=actor)
    return scoring
