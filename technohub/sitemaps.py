"""sitemap.xml: the public pages in Dutch and English, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from catalogue.models import Course, Location, SchoolActivity


class _BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(_BilingualSitemap):
    def items(self) -> list[str]:
        return [
            "home",
            "catalogue:course_list",
            "catalogue:location_list",
            "schools:list",
            "demand:summary",
            "accessibility",
            "privacy",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class CourseSitemap(_BilingualSitemap):
    def items(self):
        return Course.objects.filter(is_published=True).order_by("slug").only("slug", "updated_at")

    def location(self, item: Course) -> str:
        return reverse("catalogue:course_detail", args=[item.slug])

    def lastmod(self, item: Course):
        return item.updated_at


class LocationSitemap(_BilingualSitemap):
    def items(self):
        return Location.objects.order_by("slug").only("slug")

    def location(self, item: Location) -> str:
        return reverse("catalogue:location_detail", args=[item.slug])


class SchoolActivitySitemap(_BilingualSitemap):
    def items(self):
        return (
            SchoolActivity.objects.filter(is_published=True)
            .order_by("slug")
            .only("slug", "updated_at")
        )

    def location(self, item: SchoolActivity) -> str:
        return reverse("schools:activity", args=[item.slug])

    def lastmod(self, item: SchoolActivity):
        return item.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "courses": CourseSitemap,
    "locations": LocationSitemap,
    "schools": SchoolActivitySitemap,
}
