"""The database models, one module per area, re-exported here.

A new area adds its module and one import line below (and a migration).
"""

from .aggregates import (
    BankSection,
    OptionStat,
    QuestionStat,
    StudentAttempts,
    StudentQuestion,
    StudentSection,
)
from .bank import Origin, Question, QuestionRevision, Status, content_hash, search_text
from .base import UTCDateTime, utcnow
from .classes import (
    Assignment,
    ClassInstructor,
    Classroom,
    Counts,
    LatePolicy,
    Membership,
    ShowAnswers,
    Source,
)
from .quiz import Answer, Attempt, AttemptItem, Mode
from .review import AnswerRegrade, Appeal, AppealState, Decision, Regrade
from .security import LoginSession, RateCounter, SignupRequest
from .study import ReviewLog, StudyCard, StudyDay
from .user import Account, Role, SignedIn, User, normalize_email

__all__ = [
    "Account",
    "Answer",
    "Assignment",
    "ClassInstructor",
    "Classroom",
    "Counts",
    "LatePolicy",
    "Membership",
    "ShowAnswers",
    "Source",
    "AnswerRegrade",
    "Appeal",
    "AppealState",
    "Attempt",
    "AttemptItem",
    "BankSection",
    "LoginSession",
    "Decision",
    "Mode",
    "OptionStat",
    "Origin",
    "Question",
    "QuestionRevision",
    "QuestionStat",
    "RateCounter",
    "Regrade",
    "ReviewLog",
    "Role",
    "SignedIn",
    "SignupRequest",
    "Status",
    "StudentQuestion",
    "StudentAttempts",
    "StudentSection",
    "StudyCard",
    "StudyDay",
    "UTCDateTime",
    "User",
    "content_hash",
    "normalize_email",
    "search_text",
    "utcnow",
]
