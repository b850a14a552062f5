"""Commendations: the award catalogue, the nominee's record, nominations and their review, the
council and its ballot, publicity and decisions — one module per stage, every model here."""

from awards.models.catalogue import AwardTerms, AwardType, share_reached
from awards.models.certificates import CertificateTemplate, certificate_template_path
from awards.models.council import (
    Attendance,
    BallotKey,
    BallotReceipt,
    Council,
    CouncilMember,
    Meeting,
    SealedVote,
    VoteTally,
)
from awards.models.decisions import Decision
from awards.models.nominations import (
    Nomination,
    NominationAttachment,
    NominationStep,
    Review,
    attachment_path,
)
from awards.models.publicity import Publication, PublicComment, publication_token
from awards.models.record import (
    AwardGrant,
    Initiative,
    NomineeMixin,
    OpenMatter,
    PersonOrUnit,
    TaskRating,
)

# The migrations name NomineeMixin, attachment_path and publication_token by this path.
__all__ = [
    "Attendance",
    "AwardGrant",
    "AwardTerms",
    "AwardType",
    "BallotKey",
    "BallotReceipt",
    "CertificateTemplate",
    "Council",
    "CouncilMember",
    "Decision",
    "Initiative",
    "Meeting",
    "Nomination",
    "NominationAttachment",
    "NominationStep",
    "NomineeMixin",
    "OpenMatter",
    "PersonOrUnit",
    "PublicComment",
    "Publication",
    "Review",
    "SealedVote",
    "TaskRating",
    "VoteTally",
    "attachment_path",
    "certificate_template_path",
    "publication_token",
    "share_reached",
]
