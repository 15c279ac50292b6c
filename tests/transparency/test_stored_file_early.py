"""A stored open-data file answered before the rest of the middleware stack
(transparency.middleware.StoredFileMiddleware): the same answer as the whole stack gives (status, headers,
bytes), whether whole or revalidated, in each language; a file built again served at once; a visitor with a
session, a file not built or left far behind go through the stack."""

from datetime import timedelta

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.utils import timezone

from tests.factories import fundraising as ff
from transparency import opendata_files
from transparency.models import OpenDataFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def gifts(programme):
    for n in range(3):
        ff.donate(
            fund=programme.general,
            channel=programme.bank,
            amount=f"{10 + n}.00",
            donor_name=f"Giver {n}",
            show_name=True,
        )
    return programme


@pytest.fixture
def stack_counted(monkeypatch):
    """How many requests went through the session middleware (the stack after the early answer)."""
    seen = []
    original = SessionMiddleware.process_request

    def counted(self, request):
        seen.append(request.path)
        return original(self, request)

    monkeypatch.setattr(SessionMiddleware, "process_request", counted)
    return seen


def _answer(response) -> tuple:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    # The content policy's directives come in any order (django-csp writes them from a set).
    headers = sorted(
        (k, "; ".join(sorted(v.split("; "))) if k == "Content-Security-Policy" else v)
        for k, v in response.items()
        if k.lower() != "date"
    )
    return response.status_code, headers, body


def test_a_stored_file_is_answered_before_the_stack_as_the_stack_answers_it(client, gifts, stack_counted):
    stored = opendata_files.build("donations.csv", "en")
    through_stack = _answer(client.get("/open-data/donations.csv"))
    assert stack_counted == ["/open-data/donations.csv"]  # the first answer keeps the stack's headers
    early = _answer(client.get("/open-data/donations.csv"))
    assert stack_counted == ["/open-data/donations.csv"]  # the second never reached the stack
    assert early == through_stack
    status, headers, body = early
    assert status == 200 and b"Giver 2" in body and ("ETag", stored.etag) in headers
    names = {name for name, _value in headers}
    assert {"X-Frame-Options", "Content-Security-Policy", "Content-Disposition", "Last-Modified"} <= names

    # Revalidated: a 304, the same as the stack's.
    revalidated = _answer(client.get("/open-data/donations.csv", HTTP_IF_NONE_MATCH=stored.etag))
    assert revalidated[0] == 304 and ("ETag", stored.etag) in revalidated[1]
    assert len(stack_counted) == 1
    client.cookies.clear()
    with_session = client.session  # a visitor with a session goes through the stack
    with_session["seen"] = True
    with_session.save()
    assert _answer(client.get("/open-data/donations.csv", HTTP_IF_NONE_MATCH=stored.etag)) == revalidated
    assert len(stack_counted) == 2


def test_each_language_has_its_own_file_and_a_file_built_again_is_served_at_once(
    client, gifts, stack_counted
):
    opendata_files.build("donations.json", "en")
    chinese = opendata_files.build("donations.json", "zh-hans")
    for _ in range(2):
        english = _answer(client.get("/open-data/donations.json"))
        in_chinese = _answer(client.get("/open-data/donations.json", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert len(stack_counted) == 2  # once for each language
    assert ("ETag", chinese.etag) in in_chinese[1] and ("Content-Language", "zh-hans") in in_chinese[1]
    assert ("Content-Language", "en") in english[1] and in_chinese[2] != english[2]

    ff.donate(fund=gifts.general, channel=gifts.bank, amount="77.00", donor_name="Late giver", show_name=True)
    rebuilt = opendata_files.build("donations.json", "en")
    again = _answer(client.get("/open-data/donations.json"))
    assert len(stack_counted) == 2 and ("ETag", rebuilt.etag) in again[1] and b"Late giver" in again[2]


def test_a_file_not_built_or_left_far_behind_is_streamed_through_the_stack(client, gifts, stack_counted):
    stored = opendata_files.build("donations.csv", "en")
    client.get("/open-data/donations.csv")  # the stack's headers kept
    OpenDataFile.objects.filter(pk=stored.pk).update(built_at=timezone.now() - timedelta(hours=2))
    ff.donate(fund=gifts.general, channel=gifts.bank, amount="9.99", donor_name="Later", show_name=True)
    response = client.get("/open-data/donations.csv")
    assert response.streaming and b"Later" in b"".join(response.streaming_content)
    OpenDataFile.objects.all().delete()
    response = client.get("/open-data/donations.csv")
    assert response.status_code == 200 and b"Later" in b"".join(response.streaming_content)
    assert len(stack_counted) == 3
    assert client.get("/open-data/nothing-such.csv").status_code == 404


def test_an_address_with_a_query_goes_through_the_stack(client, gifts, stack_counted):
    opendata_files.build("donations.csv", "en")
    client.get("/open-data/donations.csv")  # the stack's headers kept
    assert (
        client.get("/open-data/donations.csv?x=%00").status_code == 400
    )  # as RefuseNulMiddleware refuses it
    assert _answer(client.get("/open-data/donations.csv?v=2"))[0] == 200
    assert len(stack_counted) == 3
