"""Techniek beleven: the public pages of the offer for schools (list, activity, material).

Not kept in the visitors' page cache: the counter of pupils moves with every confirmed visit,
which does not start a new cache generation.
"""

from pathlib import PurePath

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from enrolment.schools.selectors import pupils_this_school_year

from ..models import SchoolActivity, SchoolMaterial, SchoolTargetGroup
from . import selectors
from .forms import ActivityFilterForm

LIST_CRUMBS = [(None, gettext_lazy("Techniek beleven"))]


def duration_label(minutes: int) -> str:
    """``180`` → "3 uur", ``90`` → "90 minuten"."""
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(hours)s uur", "%(hours)s uur", hours) % {"hours": hours}
    return ngettext("%(minutes)s minuut", "%(minutes)s minuten", minutes) % {"minutes": minutes}


def _target_group_labels(activity: SchoolActivity) -> list[str]:
    return [
        SchoolTargetGroup(group).label
        for group in activity.target_groups
        if group in SchoolTargetGroup.values
    ]


def _described(activity: SchoolActivity) -> SchoolActivity:
    """The activity with what its card and page show in words."""
    activity.target_group_labels = _target_group_labels(activity)
    activity.duration_label = duration_label(activity.duration_minutes)
    return activity


class ActivityListView(TemplateView):
    """The published activities as cards, filtered by target group and kind (GET)."""

    template_name = "schools/activity_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = ActivityFilterForm(self.request.GET).filters()
        activities = selectors.list_published_activities(**filters)
        pupils = pupils_this_school_year()
        context.update(
            crumbs=LIST_CRUMBS,
            # Unbound, with only the valid filters chosen: a value that is not in the list is
            # simply not applied, and the form shows no error for it.
            form=ActivityFilterForm(
                initial={"doelgroep": filters["target_group"], "soort": filters["kind"]}
            ),
            filtered=any(filters.values()),
            activities=[_described(activity) for activity in activities],
            pupils=pupils,
            pupils_display=number_format(pupils, force_grouping=True),
        )
        return context


class ActivityDetailView(TemplateView):
    """One published activity: what pupils do, for whom, where, safety, materials, cost."""

    template_name = "schools/activity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            activity = selectors.get_published_activity(slug=kwargs["slug"])
        except SchoolActivity.DoesNotExist as missing:
            raise Http404 from missing
        materials = list(activity.materials.all())
        context.update(
            activity=_described(activity),
            crumbs=[
                (reverse("schools:list"), _("Techniek beleven")),
                (None, activity.localized("title")),
            ],
            safety_rules=[
                line.strip()
                for line in activity.localized("safety_rules").splitlines()
                if line.strip()
            ],
            weekday_names=[WEEKDAYS[day] for day in sorted(activity.weekdays) if day in WEEKDAYS],
            preparation_materials=[
                material for material in materials if material.use == SchoolMaterial.Use.PREPARATION
            ],
            follow_up_materials=[
                material for material in materials if material.use == SchoolMaterial.Use.FOLLOW_UP
            ],
        )
        return context


def download_name(material: SchoolMaterial) -> str:
    """A file name safe on every system: the title as a slug, the stored file's extension."""
    suffix = PurePath(material.file.name).suffix.lower()
    if not suffix[1:].isalnum():
        suffix = ""
    return f"{slugify(material.localized('title')) or 'materiaal'}{suffix}"


@require_safe
def material(request, slug: str, pk: int) -> FileResponse:
    """The material's file as a download, for a published activity only."""
    try:
        item = selectors.get_published_material(slug=slug, pk=pk)
        handle = item.file.open("rb")
    except (SchoolMaterial.DoesNotExist, FileNotFoundError) as missing:
        raise Http404 from missing
    # The content type follows from the file name's extension.
    return FileResponse(handle, as_attachment=True, filename=download_name(item))
