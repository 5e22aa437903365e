"""The company roster: invitations, members leaving, importing a roster from a file."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
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

from ..accounts.tokens import first_password_tokens
from ..models import Company, Invitation, Membership, User
from ..names import name_sort_key
from . import roster_import, selectors
from .first_steps import APPROVAL_RULE_SET
from .roster_import import RowCheck

# --- The company roster -----------------------------------------------------------------------


def invitation_valid_for() -> timedelta:
    """How long an invitation link stays valid (``INVITATION_VALID_DAYS``, 14 by default)."""
    return timedelta(days=settings.INVITATION_VALID_DAYS)


class InvitationRefused(DomainError):
    """The invitation link cannot be used (expired, used, or meant for someone else)."""


def invite_member(
    *,
    company: Company,
    email: str,
    invited_by: User,
    site_url: str,
    language: str | None = None,
    now: datetime | None = None,
) -> Invitation:
    """Mail ``email`` a link to join ``company`` as an employee, valid for 14 days.

    The mail is in ``language``, else that of the invitee's account, else Dutch. Nobody is
    mailed twice for one invitation: an address with a pending invitation gets no new mail
    (that is what "opnieuw versturen" is for) and the pending invitation is returned. Raises
    DomainError for HR's own address and for someone already on the roster.
    """
    email = email.strip().lower()
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        # Two HR officers inviting the same address at once: the partial unique constraint
        # lets one invitation through; the other finds it below on its second look.
        _lock_company(company)
        if email == invited_by.email.lower():
            raise DomainError(_("Je kunt jezelf niet uitnodigen."))
        if Membership.objects.filter(company=company, user__email__iexact=email).exists():
            raise DomainError(_("%(email)s staat al op de medewerkerslijst.") % {"email": email})
        pending = Invitation.objects.pending().filter(company=company, email=email).first()
        if pending is not None:
            return pending
        account = User.objects.filter(email__iexact=email).first()
        language = language or (account.preferred_language if account is not None else "nl")
        invitation = _new_invitation(
            company=company, email=email, invited_by=invited_by, language=language, now=now
        )
        invitation.save()
        outbox.queue_many([_invitation_mail(invitation, site_url=site_url)])
        audit.record(action="invitation.sent", target=invitation, actor=invited_by)
    return invitation


def resend_invitation(
    *, invitation: Invitation, hr_user: User, site_url: str, now: datetime | None = None
) -> Invitation:
    """Mail a pending (or expired) invitation again with a new link, valid 14 days from now;
    the old link stops working. Raises DomainError when it was accepted or withdrawn meanwhile.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        # A resend racing an acceptance or a withdrawal: the row lock decides which came first.
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("company", "invited_by")
            .get(pk=invitation.pk)
        )
        _check_pending(invitation)
        invitation.token = secrets.token_urlsafe(32)
        invitation.expires_at = now + invitation_valid_for()
        invitation.invited_by = hr_user
        invitation.sent_count = F("sent_count") + 1
        invitation.save(
            update_fields=["token", "expires_at", "invited_by", "sent_count", "updated_at"]
        )
        invitation.refresh_from_db(fields=["sent_count"])
        outbox.queue_many([_invitation_mail(invitation, site_url=site_url)])
        audit.record(action="invitation.resent", target=invitation, actor=hr_user)
    return invitation


def withdraw_invitation(
    *, invitation: Invitation, hr_user: User, now: datetime | None = None
) -> Invitation:
    """End a pending invitation: its link no longer works. Raises DomainError when it was
    accepted or withdrawn meanwhile."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _check_pending(invitation)
        invitation.withdrawn_at = now
        invitation.save(update_fields=["withdrawn_at", "updated_at"])
        audit.record(action="invitation.withdrawn", target=invitation, actor=hr_user)
    return invitation


def _check_pending(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise DomainError(_("Deze uitnodiging is al geaccepteerd."))
    if invitation.withdrawn_at is not None:
        raise DomainError(_("Deze uitnodiging is al ingetrokken."))


def _new_invitation(
    *,
    company: Company,
    email: str,
    invited_by: User,
    language: str = "nl",
    now: datetime | None = None,
) -> Invitation:
    return Invitation(
        company=company,
        email=email.strip().lower(),
        invited_by=invited_by,
        token=secrets.token_urlsafe(32),
        expires_at=(now or timezone.now()) + invitation_valid_for(),
        language=language,
    )


def _invitation_mail(invitation: Invitation, *, site_url: str) -> Notification:
    """The "company_invitation" mail of a saved invitation, not yet queued, in its language."""
    language = invitation.language or settings.LANGUAGE_CODE
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
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
    )


def get_open_invitation(*, token: str, now: datetime | None = None) -> Invitation:
    """The invitation behind a link, if it can still be used; InvitationRefused otherwise."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_related("company").filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None:
        raise InvitationRefused(_("Deze uitnodiging bestaat niet of is al gebruikt."))
    if invitation.withdrawn_at is not None:
        raise InvitationRefused(
            _("Deze uitnodiging is ingetrokken. Vraag je HR-afdeling om een nieuwe.")
        )
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
    updated: int = 0  # members whose department, function or personnel number changed
    unchanged: int = 0  # members and pending invitations the file left as they were
    skipped: list[RowCheck] = field(default_factory=list)

    @property
    def changed_nothing(self) -> bool:
        return not (self.added or self.updated)


def import_members(
    *,
    company: Company,
    rows: list[RowCheck],
    hr_user: User,
    all_or_nothing: bool,
    site_url: str,
) -> ImportResult:
    """Bring ``company``'s roster in line with a checked CSV file, in one transaction.

    The rows are checked again under a lock on the company (the roster may have changed since
    the preview). With ``all_or_nothing`` one bad row refuses the lot; otherwise the bad rows
    are skipped and returned. A sync: members' rows update their department, function and
    personnel number; addresses with a pending invitation are not mailed again; new addresses
    without an account get one (no password yet, in the row's language, else Dutch), join the
    roster and are mailed a link to choose a password, valid 14 days; new addresses that have
    an account are invited, exactly as from the roster page, and join only when they accept.
    Nobody is removed here: the view offers the people missing from the file for removal.
    One audit row for the whole import; importing the same file twice changes nothing the
    second time. The number of queries does not depend on the number of rows.
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
            # HR's own address in the file (hub staff using the portal) is never invited.
            own = hr_user.email.lower()
            new_rows = [row for row in valid if row.action == RowCheck.NEW and row.email != own]
            account_rows = [row for row in new_rows if row.account is None]
            new_users = User.objects.bulk_create([_imported_user(row) for row in account_rows])
            # Someone who already has an account is never attached without consent: they get
            # the same invitation to accept as a single one from the roster page.
            invited_rows = [row for row in new_rows if row.account is not None]
            invitations = Invitation.objects.bulk_create(
                [
                    _new_invitation(
                        company=company,
                        email=row.email,
                        invited_by=hr_user,
                        language=row.language or row.account.preferred_language,
                    )
                    for row in invited_rows
                ]
            )
            outbox.queue_many(
                [_invitation_mail(invitation, site_url=site_url) for invitation in invitations]
            )
            Membership.objects.bulk_create(
                [
                    Membership(
                        user=user,
                        company=company,
                        role=Membership.Role.EMPLOYEE,
                        **_synced_values(row),
                    )
                    for user, row in zip(new_users, account_rows, strict=True)
                ]
            )
            updates = [row for row in valid if row.action == RowCheck.UPDATE]
            for row in updates:
                for name, value in _synced_values(row).items():
                    setattr(row.membership, name, value)
            Membership.objects.bulk_update(
                [row.membership for row in updates], [*roster_import.SYNCED, "updated_at"]
            )
            _mail_imported(
                people=new_users,
                company=company,
                hr_user=hr_user,
                site_url=site_url,
            )
            result = ImportResult(
                added=len(new_rows),
                new_accounts=len(new_users),
                updated=len(updates),
                unchanged=len(valid) - len(new_rows) - len(updates),
                skipped=skipped,
            )
            audit.record(
                action="membership.imported",
                target=company,
                actor=hr_user,
                count=len(valid),
                new_accounts=len(new_users),
                invited=len(invitations),
                updated=len(updates),
                unchanged=result.unchanged,
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
    return result


def _synced_values(row: RowCheck) -> dict[str, str]:
    """The membership fields the row's file has columns for."""
    return {
        name: getattr(row, name) for name in roster_import.SYNCED if getattr(row, name) is not None
    }


def remove_leavers(
    *, memberships: list[Membership], hr_user: User, cancel_enrolments: bool
) -> list[Membership]:
    """Take the people HR confirmed as gone (missing from an imported file) off the roster,
    each exactly as :func:`remove_member` does; returns those removed. Someone who cannot be
    removed now (an offering busy) stays and is not returned: removing again finishes it."""
    removed = []
    for membership in memberships:
        try:
            remove_member(
                membership=membership, hr_user=hr_user, cancel_enrolments=cancel_enrolments
            )
        except DomainError:
            continue
        removed.append(membership)
    return removed


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
        preferred_language=row.language or "nl",
        name_sort_key=name_sort_key(
            first_name=row.first_name, last_name=row.last_name, email=row.email
        ),
    )
    user.set_unusable_password()
    return user


def _mail_imported(*, people: list[User], company: Company, hr_user: User, site_url: str) -> None:
    """Queue the "company_added" mail, with a link to choose a password valid as long as an
    invitation, for new accounts, each in the account's language."""
    base = {
        "company": company.name,
        "invited_by": hr_user.get_full_name() or hr_user.email,
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    notifications = []
    for user in people:
        context = dict(base)
        with translation.override(user.preferred_language):
            path = reverse(
                "accounts:password_reset_confirm",
                args=[
                    urlsafe_base64_encode(force_bytes(user.pk)),
                    first_password_tokens.make_token(user),
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
