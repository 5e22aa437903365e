"""Public pages of the catalogue: course list, course page, locations, calendar files."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, TemplateView

from companies.demand.forms import LearnerInterestForm
from companies.demand.selectors import get_open_interest
from companies.funding.eligibility import mark_member_estimates
from companies.portal.selectors import list_team_companies
from enrolment.evaluation.selectors import get_course_rating
from technohub import page_cache
from technohub.page_cache import cached_for_visitors, wants_fragment

from . import calendar, selectors, structured_data
from .forms import CatalogueFilterForm
from .models import Course, Location, Offering, Theme

COURSES_PER_PAGE = 20


# The selector's facets shown as drop-downs, by the filter form's field for each. The main
# ones stay in view on a phone; the others fold away under "Meer filters".
MAIN_FACETS = {"place": "plaats"}
MORE_FACETS = {"sector": "sector", "theme": "thema", "mode": "vorm", "month": "maand"}


COURSE_LIST_CRUMBS = [(None, gettext_lazy("Cursussen"))]


def _drop_downs(form, result, facets: dict[str, str]) -> list:
    return [(form[param], result.facets[facet]) for facet, param in facets.items()]


@method_decorator(cached_for_visitors, name="dispatch")
class CourseListView(TemplateView):
    """Search and filter the catalogue. htmx requests get the results block only, except
    when htmx restores a page from history: that takes the whole page.

    Visitors get the whole page from the page cache. For a logged-in user the results block,
    the same for everyone, comes from the shared cache too, and so does the page around it,
    in which only the header's company link and the CSRF token differ between users.
    """

    template_name = "catalogue/course_list.html"
    results_template = "catalogue/_catalogue.html"

    def get(self, request, *args, **kwargs):
        response = self._page_or_fragment(request, *args, **kwargs)
        # One address, two answers: a browser's cache must not hand the results block to Back
        # or Forward as the page, so every answer says what it depends on, and the block is
        # not kept at all.
        patch_vary_headers(response, ["HX-Request"])
        if wants_fragment(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    def _page_or_fragment(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().get(request, *args, **kwargs)

        def results() -> str:
            return page_cache.shared_fragment(
                request,
                "course-list-results",
                lambda: render_to_string(self.results_template, self.results_context(), request),
            )

        if wants_fragment(request):
            return HttpResponse(results())
        page = page_cache.shared_page_for_members(
            request,
            "course-list",
            lambda context: render_to_string(
                self.template_name,
                {"results": results(), "crumbs": COURSE_LIST_CRUMBS, **context},
                request,
            ),
        )
        if page is not None:
            return page
        return self.render_to_response({"results": results(), "crumbs": COURSE_LIST_CRUMBS})

    def get_template_names(self):
        if wants_fragment(self.request):
            return [self.results_template]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.results_context()}

    def results_context(self) -> dict:
        form = CatalogueFilterForm(self.request.GET or None)
        form.is_valid()
        filters = form.filters()
        themes = list(Theme.objects.order_by("name"))
        result = selectors.search_catalogue(filters=filters, themes=themes)
        page = Paginator(result.courses, COURSES_PER_PAGE).get_page(self.request.GET.get("pagina"))
        # Translated once per page, not once per card.
        mode_labels = {value: str(label) for value, label in Course.Mode.choices}
        courses = [(course, mode_labels[course.mode]) for course in page.object_list]
        return {
            "form": form,
            "result": result,
            # Shown on the folded "Filters" of a phone: how many of them are in use.
            "active_filter_count": sum(
                value not in ("", None, False)
                for name, value in vars(filters).items()
                if name not in ("q", "sort")
            ),
            "page_obj": page,
            "courses": courses,
            "closest": [(course, mode_labels[course.mode]) for course in result.closest],
            "main_facets": _drop_downs(form, result, MAIN_FACETS),
            "more_facets": _drop_downs(form, result, MORE_FACETS),
            "price_fields": [form["prijs_min"], form["prijs_max"]],
            "crumbs": COURSE_LIST_CRUMBS,
        }


@method_decorator(cached_for_visitors, name="dispatch")
class CourseDetailView(DetailView):
    template_name = "catalogue/course_detail.html"
    context_object_name = "course"

    def get_object(self, queryset=None) -> Course:
        try:
            return selectors.get_published_course(slug=self.kwargs["slug"])
        except Course.DoesNotExist as missing:
            raise Http404(_("Deze cursus bestaat niet (meer).")) from missing

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # None until the course's runs have enough answers to show (anonymity).
        rating = get_course_rating(course=self.object)
        user = self.request.user
        offerings = selectors.list_course_offerings(
            course=self.object, viewer=user if user.is_authenticated else None
        )
        # What the viewer's employer's fund probably pays: per user, so never in the page cache
        # (only visitors without a session get cached pages).
        mark_member_estimates(user=user, offerings=offerings)
        context.update(
            offerings=offerings,
            team_companies=list_team_companies(user=user),
            # "Houd me op de hoogte" when there is no offering, or no seat in one of them.
            offer_interest=not offerings or any(offering.seats_open <= 0 for offering in offerings),
            interest=get_open_interest(learner=user, course=self.object)
            if user.is_authenticated
            else None,
            interest_form=LearnerInterestForm(),
            rating=rating,
            # Closed runs are for a few companies only: never in the public structured data.
            json_ld=structured_data.course(
                self.object,
                [offering for offering in offerings if not offering.closed_for],
                self.request,
                rating=rating,
            ),
            crumbs=[
                (reverse("catalogue:course_list"), _("Cursussen")),
                (None, self.object.localized("title")),
            ],
        )
        return context


@method_decorator(cached_for_visitors, name="dispatch")
class LocationListView(ListView):
    template_name = "catalogue/location_list.html"
    context_object_name = "locations"
    queryset = Location.objects.order_by("kind", "name")
    extra_context = {"crumbs": [(None, gettext_lazy("Locaties"))]}


@method_decorator(cached_for_visitors, name="dispatch")
class LocationDetailView(DetailView):
    template_name = "catalogue/location_detail.html"
    context_object_name = "location"
    model = Location

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offerings"] = selectors.list_location_offerings(location=self.object)
        context["crumbs"] = [
            (reverse("catalogue:location_list"), _("Locaties")),
            (None, self.object.localized("name")),
        ]
        return context


def offering_calendar(request, pk: int) -> HttpResponse:
    """Every meeting of a run as an iCalendar file, to add to one's agenda."""
    try:
        offering = selectors.get_offering_for_calendar(pk=pk, viewer=request.user)
    except Offering.DoesNotExist as missing:
        raise Http404 from missing
    response = HttpResponse(
        calendar.offering_ics(offering), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{calendar.filename(offering)}"'
    return response
