"""Every write to enrolments goes through these services.

``enrolling`` holds signing up, the waiting list and cancelling; the other modules build on
its locking and seat rules.
"""

from .enrolling import (
    ACTIVE,
    CANCELLATION_NOTICE,
    EnrolmentRefused,
    OfferingBusy,
    TeamResult,
    approve_requests,
    cancel_enrolment,
    cancel_offering,
    cancellation_deadline,
    enrol_learner,
    enrol_team,
    paying_company,
    queue_reminders,
    reject_request,
)

__all__ = [
    "ACTIVE",
    "CANCELLATION_NOTICE",
    "EnrolmentRefused",
    "OfferingBusy",
    "TeamResult",
    "approve_requests",
    "cancel_enrolment",
    "cancel_offering",
    "cancellation_deadline",
    "enrol_learner",
    "enrol_team",
    "paying_company",
    "queue_reminders",
    "reject_request",
]
