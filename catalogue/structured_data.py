"""schema.org JSON-LD for course pages: a Course with a CourseInstance per upcoming offering."""

from django.http import HttpRequest
from django.urls import reverse

from .models import Course, Location, Offering

MODES = {
    Course.Mode.ON_SITE: "onsite",
    Course.Mode.ONLINE: "online",
    Course.Mode.BLENDED: "blended",
    Course.Mode.MOBILE: "onsite",
}


def _place(location: Location) -> dict:
    if location.kind == Location.Kind.ONLINE:
        return {"@type": "VirtualLocation", "name": location.name}
    return {
        "@type": "Place",
        "name": location.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": location.street,
            "postalCode": location.postal_code,
            "addressLocality": location.city,
            "addressCountry": "NL",
        },
    }


def _instance(offering: Offering, course: Course) -> dict:
    meetings = list(offering.meetings.all())
    return {
        "@type": "CourseInstance",
        "courseMode": MODES[course.mode],
        "location": _place(offering.location),
        "startDate": meetings[0].starts_at.isoformat(),
        "endDate": meetings[-1].ends_at.isoformat(),
        "instructor": [{"@type": "Person", "name": offering.instructor}]
        if offering.instructor
        else [],
        "offers": {
            "@type": "Offer",
            "price": str(course.price_incl_vat),
            "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock"
            if offering.seats_open > 0
            else "https://schema.org/SoldOut",
        },
    }


def course(course: Course, offerings: list[Offering], request: HttpRequest, *, rating=None) -> dict:
    """The JSON-LD document of a course page. ``offerings`` come with location and meetings;
    ``rating`` (an ``enrolment.evaluation.selectors.CourseRating``, or None below the threshold
    of answers) becomes its ``aggregateRating``."""
    document = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.localized("title"),
        "description": course.localized("summary"),
        "url": request.build_absolute_uri(reverse("catalogue:course_detail", args=[course.slug])),
        "inLanguage": "nl",
        "provider": {"@type": "Organization", "name": course.provider.name},
        "educationalLevel": course.get_level_display(),
        "timeRequired": f"PT{int(course.study_hours)}H",
        "hasCourseInstance": [
            _instance(offering, course) for offering in offerings if offering.meetings.all()
        ],
    }
    if rating is not None:
        document["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": str(rating.average),
            "ratingCount": rating.count,
            "bestRating": 5,
            "worstRating": 1,
        }
    return document
