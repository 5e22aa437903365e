"""Demand pages: HR's needs and interest, a learner's "Houd me op de hoogte", the demand board
for the programme manager and the public summary of what the region asks for."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalogue.models import Course
from catalogue.selectors import get_published_course
from companies.portal.views import company_page, hr_view
from technohub.permissions import staff_permission_required

from ..models import Company, StaffPermission, TrainingNeed
from . import board as demand_board
from . import selectors
from . import services as demand
from .forms import BoardForm, CompanyInterestForm, LearnerInterestForm, NeedForm

# The texts of the portal's two pages for asking the hub (one template, ``demand_form.html``).
NEED_PAGE = {
    "heading": gettext_lazy("Opleidingsbehoefte doorgeven"),
    "intro": gettext_lazy(
        "Beschrijf wat jullie mensen moeten leren. De programmamanager bundelt de vraag van "
        "bedrijven uit de regio en plant er een uitvoering bij."
    ),
    "submit_label": gettext_lazy("Behoefte doorgeven"),
}
EDIT_NEED_PAGE = {
    "heading": gettext_lazy("Opleidingsbehoefte wijzigen"),
    "intro": gettext_lazy(
        "Pas aan wat jullie nodig hebben. Dat kan zolang de hub er nog geen uitvoering voor "
        "gepland heeft."
    ),
    "submit_label": gettext_lazy("Wijzigingen opslaan"),
}
INTEREST_PAGE = {
    "heading": gettext_lazy("Interesse in een cursus doorgeven"),
    "intro": gettext_lazy(
        "Heeft een cursus geen uitvoering, of is de uitvoering vol? Geef door voor hoeveel "
        "medewerkers je interesse hebt. Zodra er een uitvoering gepland is, mailen we je met "
        "een link om je team in te schrijven."
    ),
    "submit_label": gettext_lazy("Interesse doorgeven"),
}


@hr_view
@require_GET
def needs(request, company: Company):
    """The company's training needs with their status and offering, and its open interest."""
    return company_page(
        request,
        "demand/needs.html",
        company,
        needs=selectors.list_company_needs(company=company),
        interests=selectors.list_company_interests(company=company),
    )


@hr_view
@require_http_methods(["GET", "POST"])
def new_need(request, company: Company):
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        demand.submit_need(company=company, submitted_by=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Dank je. De opleidingsbehoefte staat bij de hub; je ziet hier hoe het ermee staat."),
        )
        return redirect("demand:needs", slug=company.slug)
    return company_page(request, "demand/need_form.html", company, form=form, **NEED_PAGE)


def _company_need_or_404(company: Company, pk: int) -> TrainingNeed:
    try:
        return selectors.get_company_need(company=company, pk=pk)
    except TrainingNeed.DoesNotExist as missing:
        raise Http404 from missing


@hr_view
@require_http_methods(["GET", "POST"])
def edit_need(request, company: Company, pk: int):
    """The need's own form, filled in; only while the hub has not planned it."""
    need = _company_need_or_404(company, pk)
    if need.status not in selectors.OPEN_NEED_STATUSES:
        messages.error(
            request,
            _("Deze behoefte is %(status)s en kan niet meer gewijzigd worden.")
            % {"status": need.get_status_display()},
        )
        return redirect("demand:needs", slug=company.slug)
    form = NeedForm(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        try:
            demand.update_need(
                company=company, need_id=need.pk, actor=request.user, **form.cleaned_data
            )
        except demand.NeedNotChangeable as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("De opleidingsbehoefte is gewijzigd."))
        return redirect("demand:needs", slug=company.slug)
    return company_page(
        request, "demand/need_form.html", company, form=form, need=need, **EDIT_NEED_PAGE
    )


@hr_view
@require_http_methods(["GET", "POST"])
def withdraw_need(request, company: Company, pk: int):
    """Ask first, then take the need back: it no longer counts on the hub's demand board."""
    need = _company_need_or_404(company, pk)
    if need.status not in selectors.WITHDRAWABLE_NEED_STATUSES:
        messages.error(
            request,
            _("Deze behoefte is %(status)s en kan niet meer ingetrokken worden.")
            % {"status": need.get_status_display()},
        )
        return redirect("demand:needs", slug=company.slug)
    if request.method == "POST":
        try:
            demand.withdraw_need(company=company, need_id=need.pk, actor=request.user)
        except demand.NeedNotChangeable as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("De opleidingsbehoefte “%(title)s” is ingetrokken.") % {"title": need.title},
            )
        return redirect("demand:needs", slug=company.slug)
    return company_page(request, "demand/withdraw_need.html", company, need=need)


@hr_view
@require_http_methods(["GET", "POST"])
def company_interest(request, company: Company):
    """Interest in a course for a number of employees; ``?cursus=<slug>`` fills in the course."""
    initial = {}
    if slug := request.GET.get("cursus"):
        initial["course"] = Course.objects.filter(slug=slug, is_published=True).first()
    form = CompanyInterestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        demand.register_company_interest(
            company=company, registered_by=request.user, **form.cleaned_data
        )
        messages.success(
            request,
            _("Genoteerd. Zodra er een uitvoering gepland is, krijg je een e-mail van ons."),
        )
        return redirect("demand:needs", slug=company.slug)
    return company_page(request, "demand/need_form.html", company, form=form, **INTEREST_PAGE)


def _course_or_404(slug: str) -> Course:
    try:
        return get_published_course(slug=slug)
    except Course.DoesNotExist as missing:
        raise Http404 from missing


def _course_page(course: Course) -> str:
    return reverse("catalogue:course_detail", args=[course.slug]) + "#op-de-hoogte"


@login_required
@require_POST
def register_interest(request, slug: str):
    """A learner's "Houd me op de hoogte" on a course (from the course page)."""
    course = _course_or_404(slug)
    form = LearnerInterestForm(request.POST)
    if form.is_valid():
        demand.register_interest(
            learner=request.user, course=course, location=form.cleaned_data["location"]
        )
        messages.success(
            request,
            _("We houden je op de hoogte: zodra er een uitvoering gepland is, mailen we je."),
        )
    else:
        messages.error(request, _("Die locatie kennen we niet. Kies een locatie uit de lijst."))
    return redirect(_course_page(course))


@login_required
@require_POST
def withdraw_interest(request, slug: str):
    """Stop "Houd me op de hoogte"; back to the course page, or to ``next`` on this site."""
    course = _course_or_404(slug)
    demand.withdraw_interest(learner=request.user, course=course)
    messages.success(request, _("Je krijgt over deze cursus geen bericht meer van ons."))
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(_course_page(course))


@require_GET
def summary(request):
    """ "Gevraagd door bedrijven in de regio": the themes most asked for, counts only."""
    return render(
        request,
        "demand/summary.html",
        {
            "themes": demand_board.summarise_demand(),
            "crumbs": [(None, _("Gevraagd in de regio"))],
        },
    )


@staff_permission_required(StaffPermission.DEMAND_BOARD)
@require_GET
def board(request):
    """The programme manager's demand board: pooled needs and interest, ready groups first."""
    configured = demand_board.Threshold.configured()
    form = BoardForm(
        request.GET or None,
        initial={"people": configured.people, "companies": configured.companies},
    )
    choice = form.cleaned_data if form.is_valid() else {}
    threshold = demand_board.Threshold(
        people=choice.get("people") or configured.people,
        companies=choice.get("companies") or configured.companies,
    )
    by = choice.get("by") or demand_board.BY_THEME
    return render(
        request,
        "demand/board.html",
        {"form": form, "board": demand_board.pool_demand(by=by, threshold=threshold)},
    )
