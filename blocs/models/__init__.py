from blocs.models.ballot import (
    BlocBallotItem,
    BlocBallotKey,
    BlocBallotReceipt,
    BlocMeeting,
    BlocSealedVote,
)
from blocs.models.scoring import Criterion, CriterionGroup, RankEntry, Score, Scoring
from blocs.models.years import BlocMember, BlocYear, Commitment, Signature

__all__ = [
    "BlocBallotItem",
    "BlocBallotKey",
    "BlocBallotReceipt",
    "BlocMeeting",
    "BlocMember",
    "BlocSealedVote",
    "BlocYear",
    "Commitment",
    "Criterion",
    "CriterionGroup",
    "RankEntry",
    "Score",
    "Scoring",
    "Signature",
]
