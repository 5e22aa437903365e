"""The company roster: invitations, members leaving, importing a roster from a file."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from enrolment import outbox
from enrolment import services as enrolment_services
from enrolment.models import Enrolment, Notification
from technohub import audit
from technohub.errors import DomainError, busy_after

from ..models import Company, Invitation, Membership, User
from . import roster_import, selectors
from .first_steps import APPROVAL_RULE_SET
from .roster_import import RowCheck

# --- The company roster -----------------------------------------------------------------------

INVITATION_VALID_FOR = timedelta(days=14)


class InvitationRefused(DomainError):
    """The invitation link cannot be used (expired, used, or meant for someone else)."""


def invite_member(*, company: Company, email: str, invited_by: User, site_url: str) -> Invitation:
    """Mail ``email`` a link to join ``company`` as an employee; the link expires in 14 days."""
    with transaction.atomic(durable=True):
        invitation = _new_invitation(company=company, email=email, invited_by=invited_by)
        invitation.save()
        account = User.objects.filter(email__iexact=invitation.email).first()
        language = account.preferred_language if account is not None else None
        outbox.queue_many([_invitation_mail(invitation, site_url=site_url, language=language)])
        audit.record(action="invitation.sent", target=invitation, actor=invited_by)
    return invitation


def _new_invitation(*, company: Company, email: str, invited_by: User) -> Invitation:
    return Invitation(
        company=company,
        email=email.strip().lower(),
        invited_by=invited_by,
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )


def _invitation_mail(
    invitation: Invitation, *, site_url: str, language: str | None = None
) -> Notification:
    """The "company_invitation" mail of a saved invitation, not yet queued, in ``language``:
    that of the invitee's account when they have one."""
    # Without an account the invitee's language is not known: the site's own (Dutch) it is.
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        path = reverse("accounts:accept_invitation", args=[invitation.token])
    invited_by = invitation.invited_by
    return Notification(
        template="company_invitation",
        to_email=invitation.email,
        language=language,
        context={
            "company": invitation.company.name,
            "invited_by": invited_by.get_full_name() or invited_by.email,
            "accept_url": f"{site_url}{path}",
            "valid_days": INVITATION_VALID_FOR.days,
        },
    )


def get_open_invitation(*, token: str, now: datetime | None = None) -> Invitation:
    """The invitation behind a link, if it can still be used; InvitationRefused otherwise."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_related("company").filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None:
        raise InvitationRefused(_("Deze uitnodiging bestaat niet of is al gebruikt."))
    if invitation.expires_at <= now:
        raise InvitationRefused(
            _("Deze uitnodiging is verlopen. Vraag je HR-afdeling om een nieuwe.")
        )
    return invitation


def accept_invitation(*, token: str, user: User, now: datetime | None = None) -> Membership:
    """``user`` joins the invitation's company as an employee (idempotent for members).

    The invitation is for one address: someone logged in with another address is refused.
    """
    with transaction.atomic(durable=True):
        invitation = get_open_invitation(token=token, now=now)
        if invitation.email != user.email.lower():
            raise InvitationRefused(
                _("Deze uitnodiging is voor %(email)s. Log in met dat e-mailadres.")
                % {"email": invitation.email}
            )
        membership, _created = Membership.objects.get_or_create(
            user=user, company=invitation.company, defaults={"role": Membership.Role.EMPLOYEE}
        )
        invitation.accepted_at = now or timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        audit.record(action="membership.joined", target=membership, actor=user)
    return membership


def set_approval_rule(*, company: Company, requires_approval: bool, actor: User) -> Company:
    """HR decides whether employees' sign-ups wait for HR's approval (from now on; requests
    already made stay requests). Always writes an audit row, also when the rule stays as it was:
    the row records that HR made the choice (the first steps tick it)."""
    with transaction.atomic(durable=True):
        previous = (
            Company.objects.filter(pk=company.pk).values_list("requires_approval", flat=True).get()
        )
        Company.objects.filter(pk=company.pk).update(requires_approval=requires_approval)
        audit.record(
            action=APPROVAL_RULE_SET,
            target=company,
            actor=actor,
            requires_approval=requires_approval,
            previous=previous,
        )
    company.requires_approval = requires_approval
    return company


def set_request_mail(*, membership: Membership, request_mail: str, actor: User) -> Membership:
    """An HR member chooses how they hear of employees' requests: a mail per request at once
    (``each``) or at most one mail an hour listing the new ones (``hourly``). Audited."""
    with transaction.atomic(durable=True):
        Membership.objects.filter(pk=membership.pk).update(request_mail=request_mail)
        audit.record(
            action="membership.request_mail_set",
            target=membership,
            actor=actor,
            request_mail=request_mail,
        )
    membership.request_mail = request_mail
    return membership


def remove_member(*, membership: Membership, hr_user: User, cancel_enrolments: bool) -> None:
    """Take someone off the company's roster; HR chooses what happens to their enrolments.

    Requests still waiting for this company's approval are rejected through the normal
    service (the person is mailed, the offering's line stays right): a company cannot approve
    training for someone who no longer works there, and the person may ask again as themself
    or through a new employer. With ``cancel_enrolments`` every other active enrolment the
    company pays for is cancelled (and the learner mailed), deadline or not; otherwise they
    stay, still billed to the company. Enrolments the company paid for stay in its records
    (costs, exports, funding); the rest of the person's data leaves HR's view with the
    membership. The person is mailed which company removed them, what it still sees and that
    their account stays theirs; removing someone already gone does nothing more. HR cannot
    remove themselves (a company must not lose its HR by accident). Raises DomainError for
    that, or when an offering is busy (the person stays on the roster then, and trying again
    finishes the job).
    """
    if membership.user_id == hr_user.pk:
        raise DomainError(_("Je kunt jezelf niet van de lijst halen."))
    person, company = membership.user, membership.company
    paid_by_company = Enrolment.objects.filter(learner=person, company=company)
    with translation.override(person.preferred_language):
        reason = _("Niet meer in dienst bij %(company)s") % {"company": company.name}
    pending = paid_by_company.filter(status=Enrolment.Status.REQUESTED).values_list("pk", flat=True)
    rejected = 0
    for enrolment_id in list(pending):
        try:
            enrolment_services.reject_request(
                enrolment_id=enrolment_id, hr_user=hr_user, reason=reason
            )
        except enrolment_services.EnrolmentRefused:
            continue  # decided meanwhile (approved or withdrawn): nothing is waiting any more
        rejected += 1
    if cancel_enrolments:
        active = paid_by_company.filter(status__in=Enrolment.ACTIVE_STATUSES).values_list(
            "pk", flat=True
        )
        for enrolment_id in list(active):
            enrolment_services.cancel_enrolment(
                enrolment_id=enrolment_id,
                actor=hr_user,
                reason=reason,
                enforce_deadline=False,
            )
    kept = list(
        paid_by_company.filter(status__in=selectors.KEPT_AFTER_LEAVING)
        .select_related("offering__course")
        .order_by("created_at", "pk")
    )
    with translation.override(person.preferred_language):
        context = {
            "company": company.name,
            "kept_courses": [enrolment.offering.course.localized("title") for enrolment in kept],
            "rejected_requests": rejected,
            "profile_url": settings.SITE_URL + reverse("accounts:profile"),
        }
    with transaction.atomic(durable=True):
        # Two HR members removing the same person at once: the second waits here, then finds
        # the membership gone and neither audits nor mails a second time.
        if not Membership.objects.select_for_update().filter(pk=membership.pk).exists():
            return
        audit.record(
            action="membership.removed",
            target=person,
            actor=hr_user,
            company=company.name,
        )
        membership.delete()
        outbox.queue_for(person, template="member_removed", context=context)


# --- Importing a roster from a CSV file -------------------------------------------------------

IMPORT_LOCK_TIMEOUT = "3s"


class ImportRefused(DomainError):
    """The roster import saved nothing; the message says why."""


@dataclass
class ImportResult:
    added: int = 0  # everyone mailed: new accounts added plus existing accounts invited
    new_accounts: int = 0
    skipped: list[RowCheck] = field(default_factory=list)


def import_members(
    *,
    company: Company,
    rows: list[RowCheck],
    hr_user: User,
    all_or_nothing: bool,
    site_url: str,
) -> ImportResult:
    """Add the people of a checked CSV file to ``company`` as employees, in one transaction.

    The rows are checked again under a lock on the company (the roster may have changed since
    the preview). With ``all_or_nothing`` one bad row refuses the lot; otherwise the bad rows
    are skipped and returned. Addresses without an account get one (no password yet, Dutch),
    join the roster and are mailed a link to choose a password; addresses that have an account
    are invited, exactly as from the roster page, and join only when they accept. One audit row
    for the whole import. The number of queries does not depend on the number of rows.
    Raises ImportRefused when nothing can be saved or the company is busy.
    """
    try:
        with transaction.atomic(durable=True):
            # Two imports for one company (a double click) run one after the other, so the
            # second sees the first one's members and adds nobody twice.
            _lock_company(company)
            checked = roster_import.check_rows(company=company, rows=rows)
            valid = [row for row in checked if row.is_valid]
            skipped = [row for row in checked if not row.is_valid]
            if all_or_nothing and skipped:
                raise ImportRefused(
                    ngettext(
                        "%(count)s rij heeft een fout. Er is niemand opgeslagen.",
                        "%(count)s rijen hebben een fout. Er is niemand opgeslagen.",
                        len(skipped),
                    )
                    % {"count": len(skipped)}
                )
            if not valid:
                raise ImportRefused(_("Geen enkele rij is goed. Er is niemand opgeslagen."))
            new_users = User.objects.bulk_create(
                [_imported_user(row) for row in valid if row.account is None]
            )
            # Someone who already has an account is never attached without consent: they get
            # the same invitation to accept as a single one from the roster page.
            invited_rows = [row for row in valid if row.account is not None]
            invitations = Invitation.objects.bulk_create(
                [
                    _new_invitation(company=company, email=row.email, invited_by=hr_user)
                    for row in invited_rows
                ]
            )
            outbox.queue_many(
                [
                    _invitation_mail(
                        invitation, site_url=site_url, language=row.account.preferred_language
                    )
                    for invitation, row in zip(invitations, invited_rows, strict=True)
                ]
            )
            people = new_users
            Membership.objects.bulk_create(
                [
                    Membership(user=user, company=company, role=Membership.Role.EMPLOYEE)
                    for user in people
                ]
            )
            _mail_imported(
                people=people,
                company=company,
                hr_user=hr_user,
                site_url=site_url,
            )
            audit.record(
                action="membership.imported",
                target=company,
                actor=hr_user,
                count=len(valid),
                new_accounts=len(new_users),
                invited=len(invitations),
                skipped=len(skipped),
            )
    except IntegrityError as clash:
        # Someone joined the company or signed up with one of the addresses meanwhile.
        raise ImportRefused(
            _(
                "De medewerkerslijst is net veranderd. Er is niemand opgeslagen; "
                "probeer het opnieuw."
            )
        ) from clash
    return ImportResult(added=len(valid), new_accounts=len(new_users), skipped=skipped)


def _lock_company(company: Company) -> None:
    """Lock the company row for the rest of the transaction, waiting at most a few seconds.

    ``FOR NO KEY UPDATE`` leaves inserts that merely reference the company (enrolments,
    invitations) free; only other imports and edits of the company itself wait.
    """
    with busy_after(IMPORT_LOCK_TIMEOUT, refusal=ImportRefused):
        Company.objects.select_for_update(no_key=True).filter(pk=company.pk).values("pk").get()


def _imported_user(row: RowCheck) -> User:
    user = User(
        email=row.email,
        first_name=row.first_name,
        last_name=row.last_name,
        preferred_language="nl",
    )
    user.set_unusable_password()
    return user


def _mail_imported(*, people: list[User], company: Company, hr_user: User, site_url: str) -> None:
    """Queue the "company_added" mail, with a link to choose a password, for new accounts."""
    base = {"company": company.name, "invited_by": hr_user.get_full_name() or hr_user.email}
    notifications = []
    # New accounts are Dutch, so their password link is too.
    with translation.override("nl"):
        for user in people:
            context = dict(base)
            path = reverse(
                "accounts:password_reset_confirm",
                args=[
                    urlsafe_base64_encode(force_bytes(user.pk)),
                    default_token_generator.make_token(user),
                ],
            )
            context["set_password_url"] = f"{site_url}{path}"
            notifications.append(
                Notification(
                    template="company_added",
                    to_email=user.email,
                    language=user.preferred_language,
                    recipient=user,
                    context=context,
                )
            )
    outbox.queue_many(notifications)
