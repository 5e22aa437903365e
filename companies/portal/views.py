"""The company portal for HR: overview, roster, team enrolment, approvals.

Every view takes the company from the URL through ``get_company_for_hr``: someone who is not
HR of that company (nor holds the permission to use any company's portal) gets a 404,
whatever ids they try; hub staff without that permission get a 403.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalogue.models import Offering
from enrolment import pricing
from enrolment import selectors as enrolment_selectors
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from enrolment.transfer.selectors import count_open_transfer_checks
from technohub.errors import DomainError

from ..funding.eligibility import estimate_for_offering, get_funding_summary
from ..models import Company, Membership
from . import exports, selectors, services
from .chooser import PeopleChooser
from .closed_runs import list_closed_runs
from .first_steps import list_first_steps
from .forms import InviteForm, RemoveMemberForm, RosterSearchForm, TeamEnrolForm


def hr_view(view):
    """Log-in required; resolves ``slug`` to a company the user may manage, else 404."""

    @login_required
    @wraps(view)
    def wrapper(request, slug: str, *args, **kwargs):
        try:
            company = selectors.get_company_for_hr(user=request.user, slug=slug)
        except Company.DoesNotExist as missing:
            # Staff know the hub's companies: tell them it is a matter of permission.
            if request.user.is_staff and Company.objects.filter(slug=slug).exists():
                raise PermissionDenied from missing
            raise Http404 from missing
        return view(request, company, *args, **kwargs)

    return wrapper


def company_page(request, template: str, company: Company, **context):
    """Render one of the portal's pages about ``company`` (the portal's navigation needs it)."""
    return render(request, template, {"company": company, **context})


@login_required
def choose_company(request):
    """HR of one company goes straight to it; HR of several picks one."""
    companies = list(selectors.hr_companies(user=request.user))
    if not companies:
        raise Http404
    if len(companies) == 1:
        return redirect("portal:dashboard", slug=companies[0].slug)
    return render(request, "portal/choose.html", {"companies": companies})


@hr_view
def dashboard(request, company: Company):
    return company_page(
        request,
        "portal/dashboard.html",
        company,
        dashboard=selectors.get_dashboard(company=company),
        first_steps=list_first_steps(company=company),
        closed_runs=list_closed_runs(company=company),
        open_transfer_checks=count_open_transfer_checks(company=company),
        funding=get_funding_summary(
            company=company, enrolments=selectors.company_enrolments(company=company)
        ),
    )


@hr_view
@require_http_methods(["GET", "POST"])
def roster(request, company: Company):
    """The company's people, found by search and filters a page at a time; inviting someone."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if selectors.has_pending_invitation(company=company, email=email):
            messages.info(
                request,
                _(
                    "%(email)s is al uitgenodigd en krijgt geen tweede e-mail. Onder "
                    "Uitnodigingen kun je de uitnodiging opnieuw versturen."
                )
                % {"email": email},
            )
            return redirect("portal:roster", slug=company.slug)
        try:
            services.invite_member(
                company=company, email=email, invited_by=request.user, site_url=settings.SITE_URL
            )
        except DomainError as refused:
            form.add_error("email", refused.message)
        else:
            messages.success(request, _("Uitnodiging verstuurd naar %(email)s.") % {"email": email})
            return redirect("portal:roster", slug=company.slug)
    search = RosterSearchForm(
        request.GET or None, filters=selectors.get_roster_filters(company=company)
    )
    found = selectors.search_members(company=company, query=search.query())
    page = Paginator(found, selectors.ROSTER_PAGE_SIZE).get_page(search.page_number())
    return company_page(
        request,
        "portal/roster.html",
        company,
        form=form,
        search=search,
        page=page,
        page_query=_without_page(request),
    )


def _without_page(request) -> str:
    """The query string of the current search without its page number, for the page links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@hr_view
@require_http_methods(["GET", "POST"])
def remove_member(request, company: Company, pk: int):
    """Ask what happens to the member's enrolments, then take them off the roster."""
    try:
        membership = selectors.get_membership(company=company, pk=pk)
    except Membership.DoesNotExist as missing:
        raise Http404 from missing
    form = RemoveMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_member(
                membership=membership,
                hr_user=request.user,
                cancel_enrolments=form.cleaned_data["enrolments"] == "cancel",
            )
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("%(name)s staat niet meer op de lijst.") % {"name": membership.user}
            )
        return redirect("portal:roster", slug=company.slug)
    return company_page(
        request, "portal/remove_member.html", company, form=form, membership=membership
    )


@hr_view
@require_http_methods(["GET", "POST"])
def team_enrol(request, company: Company, pk: int):
    """Find and choose employees (``PeopleChooser``), then enrol them in an offering in one go.

    Every button but "Inschrijven" only searches, pages or chooses; the people chosen travel
    with the form. Seats go in the order the chosen are shown. A form from a stale tab still
    places everyone who can be placed and says what became of the rest.
    """
    try:
        offering = enrolment_selectors.get_offering_for_enrolment(pk=pk, company=company)
    except Offering.DoesNotExist as missing:
        raise Http404 from missing
    chooser = offering_chooser(request, company, offering)
    # "Wijzigen" on the cost page comes back here with everything still chosen.
    step = request.POST.get("step", "review")
    enrolling = chooser_submitted(request) and step != "change"
    changing = request.method == "POST" and step == "change"
    form = TeamEnrolForm(request.POST if enrolling or changing else None, chosen=chooser.chosen)
    if changing:
        form.errors.clear()  # back to the choice: no complaints about what is still to change
    if enrolling and form.is_valid():
        learners = [membership.user for membership in form.cleaned_data["learners"]]
        if step != "confirm":
            # Nothing is booked yet: HR sees what it costs and confirms.
            return company_page(
                request,
                "portal/team_confirm.html",
                company,
                form=form,
                offering=offering,
                learners=learners,
                seat=pricing.seats_cost(offering=offering, seats=1),
                cost=pricing.seats_cost(offering=offering, seats=len(learners)),
                waiting=max(len(learners) - max(offering.seats_left, 0), 0),
                funding=estimate_for_offering(company=company, offering=offering),
            )
        try:
            result = enrolment_services.enrol_team(
                hr_user=request.user,
                company=company,
                offering_id=offering.pk,
                # The unavailable come along so that the summary names them ("al ingeschreven").
                learners=[
                    membership.user
                    for membership in [*form.cleaned_data["learners"], *chooser.became_unavailable]
                ],
                all_or_nothing=form.cleaned_data["all_or_nothing"],
                po_number=form.cleaned_data["po_number"],
                cost_centre=form.cleaned_data["cost_centre"],
            )
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            summary = [
                (_("Ingeschreven"), result.confirmed),
                (_("Op de wachtlijst"), result.waitlisted),
                (_("Waren al ingeschreven"), result.already_enrolled),
            ]
            return company_page(
                request,
                "portal/team_done.html",
                company,
                offering=offering,
                summary=summary,
                cost=pricing.seats_cost(offering=offering, seats=len(result.confirmed)),
                dropped=chooser.dropped,
            )
    elif step == "change":
        form.errors.clear()  # back to the choice: no complaints about what is still to change
    return company_page(
        request,
        "portal/team_enrol.html",
        company,
        form=form,
        offering=offering,
        chooser=chooser,
        seat=pricing.seats_cost(offering=offering, seats=1),
        reservation=selectors.unnamed_reservation(company=company, offering=offering),
        funding=estimate_for_offering(company=company, offering=offering),
    )


CHOOSER_BUTTONS = {"search", "add", "choose_all", "page"}

TEAM_STATUS_LABELS = {
    Enrolment.Status.CONFIRMED: lambda: _("al ingeschreven"),
    Enrolment.Status.WAITLISTED: lambda: _("al op de wachtlijst"),
    Enrolment.Status.REQUESTED: lambda: _("al aangevraagd"),
}


def offering_chooser(request, company: Company, offering: Offering) -> PeopleChooser:
    """The people chooser for placing the company's people in ``offering``: whoever is
    already in it (as far as the company pays) cannot be chosen, and says why."""
    return PeopleChooser(
        company=company,
        data=request.POST if request.method == "POST" else request.GET,
        field="learners",
        unavailable=lambda ids: {
            user_id: TEAM_STATUS_LABELS[status]()
            for user_id, status in selectors.team_statuses(
                company=company, offering=offering, user_ids=ids
            ).items()
        },
    )


def chooser_submitted(request) -> bool:
    """Whether the form was sent to act: every chooser button has a name that says it only
    searches, pages or chooses."""
    return request.method == "POST" and not (CHOOSER_BUTTONS & set(request.POST))


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A file to save, not to show; personal data, so no cache may keep a copy."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@hr_view
@require_GET
def export_csv(request, company: Company):
    """The company's enrolments as CSV for Excel in the page's language (see ``exports.to_csv``)."""
    if not selectors.may_export_personal_data(user=request.user, company=company):
        raise PermissionDenied
    return _download(
        exports.to_csv(exports.export_rows(company=company)),
        content_type="text/csv; charset=utf-8",
        filename=exports.filename(company=company, extension="csv"),
    )


@hr_view
@require_GET
def export_xlsx(request, company: Company):
    """The company's enrolments as an Excel workbook."""
    if not selectors.may_export_personal_data(user=request.user, company=company):
        raise PermissionDenied
    return _download(
        exports.to_xlsx(
            exports.export_rows(company=company),
            about_lines=exports.about(company=company, made_by=request.user),
        ),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=exports.filename(company=company, extension="xlsx"),
    )
