"""Every write to enrolments goes through these services.

``enrolment.seats`` holds the seat rules and the lock protocol they all follow; ``enrolling``
holds signing up, the waiting list and cancelling; the other modules build on
its seat rules (``offerings``: the programme manager's work on whole offerings;
``attendance``: attendance per meeting and completing an offering once it has ended;
``certificates``: certificates of participation, their PDF and mail; ``reservations``: seats HR
holds for the company and names people for later; ``request_mail``: telling HR about
employees' requests).
"""

from ..seats import CANCELLATION_NOTICE, OfferingBusy, cancellation_deadline
from .attendance import (
    ENDED_REASON,
    AttendanceRefused,
    CompletionRefused,
    CompletionResult,
    complete_ended_offerings,
    complete_offering,
    finish_offering,
    meeting_hours,
    outcome,
    passes_threshold,
    record_attendance,
)
from .certificates import (
    CertificateRefused,
    issue_certificate,
    issue_certificates_for_offering,
    store_certificate_pdf,
)
from .enrolling import (
    ACTIVE,
    EnrolmentRefused,
    StaffEnrolment,
    TeamResult,
    approve_requests,
    cancel_enrolment,
    cancel_offering,
    check_company_may_book,
    closed_run_company,
    enrol_by_email,
    enrol_learner,
    enrol_team,
    paying_company,
    promote_from_waitlist,
    queue_reminders,
    reject_request,
    reject_requests,
)
from .offerings import (
    MoveResult,
    announce_meeting_changes,
    changes_reach_people,
    count_people_to_tell,
    duplicate_offering,
    fill_added_seats,
    mail_participants,
    move_enrolments,
    people_to_tell,
    send_reminder_now,
)
from .request_mail import queue_request_bundles, queue_request_mails
from .reservations import (
    NamingResult,
    ReservationRefused,
    name_reserved_seats,
    queue_reservation_reminders,
    release_expired_reservations,
    release_reserved_seats,
    reserve_seats,
    too_few_seats,
)
from .shifting import MAX_SHIFT_DAYS, shift_offering

__all__ = [
    "ACTIVE",
    "CANCELLATION_NOTICE",
    "ENDED_REASON",
    "MAX_SHIFT_DAYS",
    "AttendanceRefused",
    "CertificateRefused",
    "CompletionRefused",
    "CompletionResult",
    "EnrolmentRefused",
    "MoveResult",
    "NamingResult",
    "OfferingBusy",
    "ReservationRefused",
    "StaffEnrolment",
    "TeamResult",
    "announce_meeting_changes",
    "approve_requests",
    "cancel_enrolment",
    "cancel_offering",
    "cancellation_deadline",
    "changes_reach_people",
    "check_company_may_book",
    "closed_run_company",
    "complete_ended_offerings",
    "complete_offering",
    "count_people_to_tell",
    "duplicate_offering",
    "enrol_by_email",
    "enrol_learner",
    "enrol_team",
    "fill_added_seats",
    "finish_offering",
    "issue_certificate",
    "issue_certificates_for_offering",
    "mail_participants",
    "meeting_hours",
    "move_enrolments",
    "name_reserved_seats",
    "outcome",
    "passes_threshold",
    "paying_company",
    "people_to_tell",
    "promote_from_waitlist",
    "queue_reminders",
    "queue_request_bundles",
    "queue_request_mails",
    "queue_reservation_reminders",
    "record_attendance",
    "reject_request",
    "reject_requests",
    "release_expired_reservations",
    "release_reserved_seats",
    "reserve_seats",
    "send_reminder_now",
    "shift_offering",
    "store_certificate_pdf",
    "too_few_seats",
]
