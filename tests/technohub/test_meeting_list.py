"""An offering's meetings are written out in the active language and local time, as Django's date
format "D j F Y, H:i" writes them, on either side of a change to or from summer time."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format

from catalogue.models import Meeting
from technohub.templatetags.technohub import meeting_list


def meetings():
    first = datetime(2026, 3, 20, 7, 5, 30, 999, tzinfo=UTC)
    return [
        Meeting(
            starts_at=first + timedelta(days=day, minutes=day * 7),
            ends_at=first + timedelta(days=day, hours=3, minutes=day * 7),
            topic="Lassen <MIG>" if day % 2 else "",
        )
        for day in range(0, 240, 5)
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_each_meeting_is_written_as_the_date_format_writes_it(language):
    with translation.override(language):
        html = meeting_list(meetings())
        for meeting in meetings():
            starts, ends = (
                timezone.localtime(meeting.starts_at),
                timezone.localtime(meeting.ends_at),
            )
            text = (
                f"{date_format(starts, 'D j F Y')}, {time_format(starts, 'H:i')}"
                f"–{time_format(ends, 'H:i')}</time>"
            )
            assert f'<time datetime="{starts.replace(microsecond=0).isoformat()}">{text}' in html
    assert html.count("<li>") == len(meetings())
    assert "Lassen &lt;MIG&gt;" in html


def test_dutch_and_english_names():
    one = [meetings()[0]]
    with translation.override("nl"):
        assert "vr 20 maart 2026, 08:05–11:05" in meeting_list(one)
    with translation.override("en"):
        assert "Fri 20 March 2026, 08:05–11:05" in meeting_list(one)


def test_a_meetings_topic_is_in_english_when_it_has_one():
    first = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)
    numbered = Meeting(
        starts_at=first,
        ends_at=first + timedelta(hours=3),
        topic="Bijeenkomst 1 van 2",
        topic_en="Session 1 of 2",
    )
    dutch_only = Meeting(
        starts_at=first + timedelta(days=7),
        ends_at=first + timedelta(days=7, hours=3),
        topic="Praktijkexamen",
    )

    with translation.override("nl"):
        dutch = meeting_list([numbered, dutch_only])
    with translation.override("en"):
        english = meeting_list([numbered, dutch_only])

    assert "Bijeenkomst 1 van 2" in dutch
    assert "Session 1 of 2" in english
    assert "Bijeenkomst" not in english
    assert "Praktijkexamen" in dutch
    assert "Praktijkexamen" in english
