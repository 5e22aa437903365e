"""Answering: three scores and one open question, once, through a personal link."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from enrolment.evaluation import services, tokens
from enrolment.models import EvaluationAnswer, EvaluationRequest
from technohub.models import AuditLog
from tests.races import race

from .helpers import ended_offering, participant

pytestmark = pytest.mark.django_db
committing = pytest.mark.django_db(transaction=True)
ANSWER = {"content": "4", "trainer": "5", "practical": "3", "comment": "Veel geleerd over RVS."}


def asked(**user) -> EvaluationRequest:
    enrolment = participant(
        ended_offering(course__title="TIG-lassen RVS", course__title_en="TIG welding"), **user
    )
    return EvaluationRequest.objects.create(enrolment=enrolment, sent_at=timezone.now())


def link(request: EvaluationRequest, language: str = "nl") -> str:
    with translation.override(language):
        return reverse("evaluation:answer", args=[tokens.make_token(request.pk)])


def test_the_form_asks_three_scores_as_radio_groups_and_one_open_question(client):
    request = asked()

    html = client.get(link(request)).content.decode()

    assert html.count("<fieldset") == 3
    assert html.count("<legend") == 3
    assert html.count('type="radio"') == 15
    assert 'maxlength="2000"' in html
    assert "Hoe was TIG-lassen RVS?" in html


def test_an_answer_is_saved_without_the_person_and_marks_the_request_answered(client):
    request = asked()
    url = link(request)

    response = client.post(url, ANSWER)

    assert response.status_code == 302
    answer = EvaluationAnswer.objects.get()
    assert (answer.content, answer.trainer, answer.practical) == (4, 5, 3)
    assert answer.comment == "Veel geleerd over RVS."
    assert answer.offering_id == request.enrolment.offering_id
    assert answer.answered_on == timezone.localdate()
    request.refresh_from_db()
    assert request.answered_at is not None
    # The audit says that, not what: no scores, no comment.
    (row,) = AuditLog.objects.filter(action="evaluation.answered")
    assert row.object_id == request.pk and row.data == {}
    assert "bedankt" in client.get(url).content.decode().lower()


def test_a_second_answer_is_refused(client):
    request = asked()
    url = link(request)
    client.post(url, ANSWER)

    second = client.post(url, {**ANSWER, "content": "1"})

    assert second.status_code == 409
    assert "Je hebt deze cursus al geëvalueerd — bedankt!" in second.content.decode()
    assert EvaluationAnswer.objects.count() == 1
    # Even an incomplete second answer is told it was answered, not what is missing.
    assert client.post(url, {"content": "2"}).status_code == 409
    with pytest.raises(services.EvaluationRefused):
        services.answer_evaluation(request_id=request.pk, content=1, trainer=1, practical=1)


def test_missing_scores_and_a_too_long_comment_are_said_at_the_field(client):
    request = asked()

    response = client.post(link(request), {"content": "4", "trainer": "9", "comment": "x" * 2001})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Kies een cijfer van 1 tot en met 5.") == 1  # practical: missing
    assert 'id="id_trainer-error"' in html  # 9 is no choice
    assert 'id="id_comment-error"' in html
    assert not EvaluationAnswer.objects.exists()
    request.refresh_from_db()
    assert request.answered_at is None


def test_the_page_speaks_english_for_an_english_link(client):
    request = asked(preferred_language="en")

    html = client.get(link(request, "en")).content.decode()

    assert '<html lang="en">' in html
    assert "How was TIG welding?" in html


def test_a_changed_or_unknown_link_is_a_friendly_404(client):
    request = asked()
    token = tokens.make_token(request.pk)
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (changed, "nonsense", tokens.make_token(request.pk + 1000)):
        response = client.get(reverse("evaluation:answer", args=[bad]))
        assert response.status_code == 404
        assert "Deze link werkt niet" in response.content.decode()
    assert client.post(reverse("evaluation:answer", args=[changed]), ANSWER).status_code == 404
    assert not EvaluationAnswer.objects.exists()


def test_an_expired_link_is_a_friendly_400(client):
    request = asked()
    url = link(request)
    later = (timezone.now() + timedelta(days=61)).timestamp()

    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(url, ANSWER)

    assert response.status_code == 400
    assert "Deze link is verlopen" in response.content.decode()
    assert not EvaluationAnswer.objects.exists()


def test_the_answer_page_is_kept_by_no_cache(client):
    response = client.get(link(asked()))
    assert "no-store" in response["Cache-Control"]
    assert re.search(r"noindex", response["X-Robots-Tag"])


@committing
def test_two_answers_posted_at_the_same_moment_give_one():
    request = asked()

    results = race(
        [
            lambda score=score: services.answer_evaluation(
                request_id=request.pk, content=score, trainer=score, practical=score
            )
            for score in (1, 5, 3)
        ]
    )

    assert EvaluationAnswer.objects.count() == 1
    assert sum(isinstance(result, EvaluationAnswer) for result in results) == 1
    assert sum(isinstance(result, services.EvaluationRefused) for result in results) == 2
