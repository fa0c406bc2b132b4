"""The feedback page: newest first, filters, counts per month, frequent words."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.selectors import top_words
from tests.factories import CustomerFactory

from .factories import FeedbackFactory

pytestmark = pytest.mark.django_db

URL = reverse("feedback:list")


def _days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_it_requires_login(client):
    response = client.get(URL)

    assert response.status_code == 302


def test_the_nav_links_to_it(worker_client):
    page = worker_client.get(reverse("today")).content.decode()

    assert f'href="{URL}">Feedback</a>' in page


def test_it_lists_feedback_newest_first(worker_client):
    FeedbackFactory(customer=CustomerFactory(name="Older Olga"), received_at=_days_ago(3), likes=["Older answer"])
    FeedbackFactory(customer=CustomerFactory(name="Newer Nina"), received_at=_days_ago(1), likes=["Newer answer"])

    page = worker_client.get(URL).content.decode()

    assert page.index("Newer Nina") < page.index("Older Olga")
    assert "Newer answer" in page and "Older answer" in page


def test_it_filters_by_customer_name(owner_client):
    FeedbackFactory(customer=CustomerFactory(name="Hector Hedge"), likes=["hedge answer"])
    FeedbackFactory(customer=CustomerFactory(name="Paula Pool"), likes=["pool answer"])

    page = owner_client.get(URL, {"q": "hedge"}).content.decode()

    assert "hedge answer" in page and "pool answer" not in page


def test_it_filters_by_customer_id_from_the_card(owner_client):
    hector = CustomerFactory(name="Hector Hedge")
    FeedbackFactory(customer=hector, likes=["hedge answer"])
    FeedbackFactory(likes=["other answer"])

    page = owner_client.get(URL, {"customer": hector.pk}).content.decode()

    assert "Feedback from" in page and "Hector Hedge" in page
    assert "hedge answer" in page and "other answer" not in page


def test_it_filters_by_date_range_and_rating(owner_client):
    FeedbackFactory(received_at=_days_ago(40), rating=5, likes=["too old"])
    FeedbackFactory(received_at=_days_ago(10), rating=5, likes=["in range, rated five"])
    FeedbackFactory(received_at=_days_ago(10), rating=2, likes=["in range, rated two"])
    FeedbackFactory(received_at=_days_ago(0), rating=5, likes=["too new"])
    date_from = timezone.localdate() - datetime.timedelta(days=20)
    date_to = timezone.localdate() - datetime.timedelta(days=5)

    page = owner_client.get(URL, {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(), "rating": "5"})
    page = page.content.decode()

    assert "in range, rated five" in page
    assert "too old" not in page and "too new" not in page and "rated two" not in page


def test_a_bad_filter_value_shows_an_error_and_keeps_the_rest(owner_client):
    FeedbackFactory(customer=CustomerFactory(name="Hector Hedge"), likes=["hedge answer"])
    FeedbackFactory(customer=CustomerFactory(name="Paula Pool"), likes=["pool answer"])

    page = owner_client.get(URL, {"q": "hedge", "date_from": "31/31/2020"}).content.decode()

    assert "Enter a valid date." in page
    assert 'value="hedge"' in page
    assert "hedge answer" in page and "pool answer" not in page


@pytest.mark.parametrize(("params", "error"), [
    ({"rating": "9"}, "Select a valid choice. 9 is not one of the available choices."),
    ({"q": "x" * 101}, "Ensure this value has at most 100 characters (it has 101)."),
])
def test_each_bad_filter_says_what_is_wrong_and_lists_everything_else(owner_client, params, error):
    FeedbackFactory(likes=["an answer"])

    page = owner_client.get(URL, params).content.decode()

    assert error in page
    assert "an answer" in page


@pytest.mark.parametrize(("value", "error"), [
    ("abc", "Enter a whole number."),
    ("0", "Ensure this value is greater than or equal to 1."),
])
def test_a_bad_customer_id_is_ignored(owner_client, value, error):
    FeedbackFactory(likes=["an answer"])

    response = owner_client.get(URL, {"customer": value})

    assert response.context["form"].errors["customer"] == [error]
    assert response.context["customer"] is None
    assert "an answer" in response.content.decode()


def test_the_customer_filter_shows_no_feedback_for_an_unknown_customer(owner_client):
    FeedbackFactory(likes=["an answer"])

    page = owner_client.get(URL, {"customer": "999999"}).content.decode()

    assert "an answer" not in page
    assert "No feedback matches these filters." in page


def test_a_date_range_counts_the_users_local_days_inclusively(owner_client, owner):
    owner.time_zone = "Europe/Berlin"
    owner.save(update_fields=["time_zone"])
    berlin = datetime.timezone(datetime.timedelta(hours=1))
    FeedbackFactory(received_at=datetime.datetime(2025, 1, 9, 23, 30, tzinfo=berlin), likes=["the evening before"])
    FeedbackFactory(received_at=datetime.datetime(2025, 1, 10, 0, 10, tzinfo=berlin), likes=["just after midnight"])
    FeedbackFactory(received_at=datetime.datetime(2025, 1, 11, 23, 50, tzinfo=berlin), likes=["late on the last day"])
    FeedbackFactory(received_at=datetime.datetime(2025, 1, 12, 0, 5, tzinfo=berlin), likes=["the morning after"])

    page = owner_client.get(URL, {"date_from": "2025-01-10", "date_to": "2025-01-11"}).content.decode()

    assert "just after midnight" in page and "late on the last day" in page
    assert "the evening before" not in page and "the morning after" not in page


def test_it_is_paginated(owner_client):
    for n in range(25):
        FeedbackFactory(likes=[f"answer number {n:02d}"], received_at=_days_ago(n))

    first = owner_client.get(URL).content.decode()
    second = owner_client.get(URL, {"page": 2}).content.decode()

    assert "answer number 00" in first and "answer number 19" in first and "answer number 20" not in first
    assert "answer number 20" in second and "answer number 24" in second
    assert "Page 2 of 2" in second


@pytest.mark.clock(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC))
def test_it_counts_likes_and_improvements_per_month(owner_client):
    FeedbackFactory(received_at=timezone.now(), likes=["a", "b"], improvements=["c"])
    FeedbackFactory(received_at=timezone.now() - datetime.timedelta(days=31), improvements=["d", "e", "f"])
    FeedbackFactory(received_at=timezone.now() - datetime.timedelta(days=300), likes=["too old to count"])

    response = owner_client.get(URL)

    months = {m.month: (m.likes, m.improvements) for m in response.context["months"]}
    assert list(months) == [datetime.date(2025, 10, 1), datetime.date(2025, 11, 1), datetime.date(2025, 12, 1),
                            datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)]
    assert months[datetime.date(2026, 3, 1)] == (2, 1)
    assert months[datetime.date(2026, 2, 1)] == (0, 3)
    assert sum(likes for likes, _ in months.values()) == 2
    page = response.content.decode()
    assert '<progress class="w-100" max="3" value="2"' in page
    assert "style=" not in page  # the Content Security Policy allows no inline styles


def test_it_shows_the_most_frequent_words_in_improvements(owner_client):
    FeedbackFactory(improvements=["Call before you come!", "Arrive on TIME please"], likes=["Time well spent"])
    FeedbackFactory(improvements=["Please call; the time was wrong"])

    response = owner_client.get(URL)

    assert response.context["top_words"][:3] == [("call", 2), ("please", 2), ("time", 2)]
    assert "spent" not in dict(response.context["top_words"])  # likes are not counted
    assert "the" not in dict(response.context["top_words"])


def test_top_words_drops_punctuation_and_stop_words_and_keeps_ten():
    texts = ["The gate, the GATE! the gate?", "we were late", *[f"word{n}" for n in range(20)]]

    result = top_words(texts)

    assert result[0] == ("gate", 3)
    assert ("late", 1) in result
    assert len(result) == 10
    assert all(word not in {"the", "we", "were"} for word, _ in result)


def test_answers_with_html_are_shown_escaped(owner_client):
    FeedbackFactory(likes=["<script>alert(1)</script>"], improvements=["<b>bold</b> & <i>loud</i>"])

    page = owner_client.get(URL).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;loud&lt;/i&gt;" in page


def _make_feedback(count):
    for n in range(count):
        FeedbackFactory(likes=["nice", "quick"], improvements=[f"improve {n}", "more"])


@pytest.mark.parametrize("count", [2, 12])
def test_its_query_count_does_not_grow_with_the_feedback(owner_client, django_assert_num_queries, count):
    _make_feedback(count)
    owner_client.get(URL)  # warm the session and user

    # session, user, paginator count, page of feedback (+ customer, recorded_by), their answers (+ follow-ups),
    # counts per month, improvement texts for the frequent words, is the user the owner (nav)
    with django_assert_num_queries(8):
        response = owner_client.get(URL)

    assert len(response.context["feedback_list"]) == count


@pytest.mark.parametrize("edge", ["9999-12-31", "0001-01-01"])
def test_a_date_at_the_edge_of_the_calendar_limits_nothing_and_breaks_nothing(owner_client, edge):
    FeedbackFactory(likes=["Still listed"])

    response = owner_client.get(URL, {"date_from": edge, "date_to": edge} if edge.startswith("0001") else {"date_to": edge})

    assert response.status_code == 200
