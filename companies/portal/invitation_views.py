"""HR's invitations: the list with each one's status, sending one again, withdrawing one."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from technohub.errors import DomainError

from ..models import Company, Invitation
from . import selectors, services
from .forms import InvitationFilterForm
from .views import company_page, hr_view


@hr_view
@require_GET
def invitations(request, company: Company):
    """Every invitation of the company, newest first, a page at a time, filtered by status."""
    form = InvitationFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    now = timezone.now()
    page = Paginator(
        selectors.list_invitations(company=company, status=status, now=now),
        selectors.INVITATION_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return company_page(
        request,
        "portal/invitations.html",
        company,
        form=form,
        page=page,
        rows=[(invitation, invitation.status_at(now)) for invitation in page],
        page_query=f"status={status}" if status else "",
    )


def _invitation(company: Company, pk: int) -> Invitation:
    try:
        return selectors.get_invitation(company=company, pk=pk)
    except Invitation.DoesNotExist as missing:
        raise Http404 from missing


@hr_view
@require_http_methods(["GET", "POST"])
def resend_invitation(request, company: Company, pk: int):
    """Confirm, then mail the invitation again with a new link (the old one stops working)."""
    invitation = _invitation(company, pk)
    if request.method == "POST":
        try:
            services.resend_invitation(
                invitation=invitation, hr_user=request.user, site_url=settings.SITE_URL
            )
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("De uitnodiging is opnieuw verstuurd naar %(email)s.")
                % {"email": invitation.email},
            )
        return redirect("portal:invitations", slug=company.slug)
    return company_page(
        request,
        "portal/invitation_confirm.html",
        company,
        invitation=invitation,
        status=invitation.status_at(timezone.now()),
        action="resend",
    )


@hr_view
@require_http_methods(["GET", "POST"])
def withdraw_invitation(request, company: Company, pk: int):
    """Confirm, then withdraw the invitation: its link no longer works."""
    invitation = _invitation(company, pk)
    if request.method == "POST":
        try:
            services.withdraw_invitation(invitation=invitation, hr_user=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("De uitnodiging voor %(email)s is ingetrokken.") % {"email": invitation.email},
            )
        return redirect("portal:invitations", slug=company.slug)
    return company_page(
        request,
        "portal/invitation_confirm.html",
        company,
        invitation=invitation,
        status=invitation.status_at(timezone.now()),
        action="withdraw",
    )
