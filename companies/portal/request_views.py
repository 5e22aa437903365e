"""HR's pages about employees' requests: the list, approving and rejecting (one or many, also
from the links in HR's mails), and the approval rule with how HR hears of requests.

The links in a mail open a confirmation page (after log-in, through ``next``); only its POST
decides. A request decided meanwhile, here or in another tab, shows who decided it and when,
never a 404; a request of another company is a 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from technohub.errors import DomainError

from ..models import Company
from . import request_selectors, selectors, services
from .forms import ApprovalRuleForm, ApproveForm, RejectForm
from .views import company_page, hr_view


def _label(enrolment: Enrolment) -> str:
    return f"{enrolment.learner} – {enrolment.offering.course.localized('title')}"


@hr_view
@require_http_methods(["GET", "POST"])
def requests(request, company: Company):
    """Employees' requests waiting for HR; approve several at once, or reject them with one
    reason after confirming."""
    pending = selectors.list_pending_requests(company=company)
    form = ApproveForm(
        request.POST or None, pending=[(enrolment.pk, _label(enrolment)) for enrolment in pending]
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["requests"]
        if form.cleaned_data["action"] == "reject":
            if not form.cleaned_data["confirmed"]:
                return company_page(
                    request,
                    "portal/reject_many.html",
                    company,
                    form=form,
                    chosen=[enrolment for enrolment in pending if enrolment.pk in set(chosen)],
                )
            return _reject_many(request, company, chosen, form.cleaned_data["reason"].strip())
        return _approve_many(request, company, chosen)
    select_all = request.GET.get("alle") == "1"
    return company_page(
        request,
        "portal/requests.html",
        company,
        form=form,
        pending=pending,
        chosen=set(form.data.getlist("requests")) if form.is_bound else set(),
        select_all=select_all,
    )


def _approve_many(request, company: Company, chosen: list[int]):
    approved = enrolment_services.approve_requests(enrolment_ids=chosen, hr_user=request.user)
    skipped = len(chosen) - len(approved)
    count = len(approved)
    messages.success(
        request,
        ngettext("%(count)s aanvraag goedgekeurd.", "%(count)s aanvragen goedgekeurd.", count)
        % {"count": count},
    )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s aanvraag niet goedgekeurd: er was al over beslist of de "
                "inschrijving is gesloten.",
                "%(count)s aanvragen niet goedgekeurd: er was al over beslist of de "
                "inschrijving is gesloten.",
                skipped,
            )
            % {"count": skipped},
        )
    return redirect("portal:requests", slug=company.slug)


def _reject_many(request, company: Company, chosen: list[int], reason: str):
    rejected = enrolment_services.reject_requests(
        enrolment_ids=chosen, hr_user=request.user, reason=reason
    )
    count = len(rejected)
    messages.success(
        request,
        ngettext("%(count)s aanvraag afgewezen.", "%(count)s aanvragen afgewezen.", count)
        % {"count": count},
    )
    if skipped := len(chosen) - count:
        messages.warning(
            request,
            ngettext(
                "%(count)s aanvraag niet afgewezen: er was al over beslist.",
                "%(count)s aanvragen niet afgewezen: er was al over beslist.",
                skipped,
            )
            % {"count": skipped},
        )
    return redirect("portal:requests", slug=company.slug)


def _company_request(company: Company, pk: int) -> Enrolment:
    try:
        return request_selectors.get_company_request(company=company, pk=pk)
    except Enrolment.DoesNotExist as missing:
        raise Http404 from missing


def _decided(request, company: Company, enrolment: Enrolment):
    """The page of a request that no longer waits: who decided it, and when."""
    return company_page(
        request,
        "portal/request_decided.html",
        company,
        enrolment=enrolment,
        decision=request_selectors.get_request_decision(enrolment=enrolment),
    )


@hr_view
@require_http_methods(["GET", "POST"])
def approve_request(request, company: Company, pk: int):
    """Confirm, then approve one request (the mail's "Goedkeuren" link lands here)."""
    enrolment = _company_request(company, pk)
    if enrolment.status != Enrolment.Status.REQUESTED:
        return _decided(request, company, enrolment)
    if request.method == "POST":
        approved = enrolment_services.approve_requests(
            enrolment_ids=[enrolment.pk], hr_user=request.user
        )
        if not approved:
            enrolment = _company_request(company, pk)
            if enrolment.status != Enrolment.Status.REQUESTED:
                # Decided in another tab, or by another HR member, a moment ago.
                return _decided(request, company, enrolment)
            messages.error(request, _("De inschrijving voor deze uitvoering is gesloten."))
            return redirect("portal:requests", slug=company.slug)
        messages.success(
            request,
            _("De aanvraag van %(name)s is goedgekeurd.") % {"name": enrolment.learner},
        )
        return redirect("portal:requests", slug=company.slug)
    return company_page(request, "portal/approve.html", company, enrolment=enrolment)


@hr_view
@require_http_methods(["GET", "POST"])
def reject_request(request, company: Company, pk: int):
    """Turn one request down, with a reason for the employee (the mail's "Afwijzen" link)."""
    enrolment = _company_request(company, pk)
    if enrolment.status != Enrolment.Status.REQUESTED:
        return _decided(request, company, enrolment)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_services.reject_request(
                enrolment_id=enrolment.pk, hr_user=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError:
            # Decided in another tab, or by another HR member, a moment ago.
            return _decided(request, company, _company_request(company, pk))
        messages.success(request, _("De aanvraag is afgewezen."))
        return redirect("portal:requests", slug=company.slug)
    return company_page(request, "portal/reject.html", company, form=form, enrolment=enrolment)


@hr_view
@require_http_methods(["GET", "POST"])
def approval_rule(request, company: Company):
    """Choose whether employees' sign-ups wait for HR's approval, and (HR members) how they
    hear of new requests."""
    membership = request_selectors.get_hr_membership(user=request.user, company=company)
    form = ApprovalRuleForm(
        request.POST or None,
        hr_member=membership is not None,
        initial={
            "requires_approval": "yes" if company.requires_approval else "no",
            "request_mail": membership.request_mail if membership else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.set_approval_rule(
            company=company,
            requires_approval=form.cleaned_data["requires_approval"],
            actor=request.user,
        )
        if membership is not None and form.cleaned_data.get("request_mail"):
            services.set_request_mail(
                membership=membership,
                request_mail=form.cleaned_data["request_mail"],
                actor=request.user,
            )
        if form.cleaned_data["requires_approval"]:
            messages.success(
                request, _("Opgeslagen: aanmeldingen van medewerkers wachten op jouw goedkeuring.")
            )
        else:
            messages.success(
                request, _("Opgeslagen: medewerkers schrijven zich in zonder goedkeuring.")
            )
        return redirect("portal:dashboard", slug=company.slug)
    return company_page(request, "portal/approval_rule.html", company, form=form)
