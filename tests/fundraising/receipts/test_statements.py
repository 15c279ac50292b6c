"""Donors' year-end statements: the gifts of one donor only, where the money went, the PDF in both
languages, and the signed link (expiry, tampering)."""

import datetime
import time
from decimal import Decimal

import pypdf
import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fundraising import ledger, services
from fundraising.models import Funder
from fundraising.receipts import links
from fundraising.receipts import services as receipts
from fundraising.selectors import donors as selectors
from tests.factories.fundraising import donate, project, receipt_file

pytestmark = pytest.mark.django_db


def _text(document) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(document.file.open("rb")).pages)


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def books(org_a, finance, people, year):
    """A donor (an enterprise) with three gifts this year, one last year and one reversed, to a project
    fund that spent money; another funder and a person with gifts of their own."""
    today = timezone.localdate()
    jan = datetime.date(year, 1, 2) if today > datetime.date(year, 1, 2) else today
    p = project(org_a, title="Baotou elder health checks", slug="elder-checks")
    fund = services.fund_for_project(p)
    steel = Funder.objects.create(name="Steel Works Community Fund", kind=Funder.Kind.ENTERPRISE)
    other = Funder.objects.create(name="Other Donor Ltd", kind=Funder.Kind.ENTERPRISE)
    gifts = [
        donate(fund=fund, amount="1000.00", by=finance, funder=steel, received_on=jan),
        donate(fund=fund, amount="2500.50", by=finance, funder=steel, received_on=today),
        donate(fund=ledger.general_fund(), amount="400.00", by=finance, funder=steel, received_on=today),
    ]
    last_year = donate(
        fund=fund, amount="9999.00", by=finance, funder=steel, received_on=datetime.date(year - 1, 6, 1)
    )
    reversed_gift = donate(fund=fund, amount="7777.00", by=finance, funder=steel, received_on=today)
    services.donation_reverse(donation=reversed_gift, by=finance, reason="Bank returned it")
    theirs = donate(fund=fund, amount="8888.00", by=finance, funder=other, received_on=today)
    expenditure = services.expenditure_submit(
        project=p,
        budget_line=p.budget_lines.first(),
        amount=Decimal("300.00"),
        spent_on=today,
        description="Blood pressure monitors",
        payee="Medical supplies shop",
        document=receipt_file(),
        paid_from="bank",
        by=finance,
    )
    services.expenditure_approve(expenditure=expenditure, by=finance)
    return {
        "steel": steel,
        "other": other,
        "gifts": gifts,
        "last_year": last_year,
        "reversed": reversed_gift,
        "theirs": theirs,
        "fund": fund,
    }


def test_statement_holds_the_donors_gifts_of_the_year_only(books, year):
    s = selectors.donor_statement(selectors.donor_of(books["steel"]), year)
    assert [g["donation"] for g in s["gifts"]] == sorted(books["gifts"], key=lambda d: (d.received_on, d.pk))
    assert s["total"] == Decimal("3900.50") and s["count"] == 3
    assert s["reversed"] == [books["reversed"]]
    listed = {g["donation"].pk for g in s["gifts"]}
    assert books["theirs"].pk not in listed and books["last_year"].pk not in listed
    assert {m["fund"] for m in s["funds"]} == {books["fund"], ledger.general_fund()}
    project_money = next(m for m in s["funds"] if m["fund"] == books["fund"])
    assert project_money["spent_total"] == Decimal("300.00")


def test_a_person_is_known_by_the_name_and_contact_on_their_receipts(finance, year):
    today = timezone.localdate()
    fund = ledger.general_fund()
    mine = donate(fund=fund, amount="50.00", by=finance, donor_name="王芳", received_on=today)
    namesake = donate(fund=fund, amount="70.00", by=finance, donor_name="王芳", received_on=today)
    receipt = receipts.receipt_issue(
        donation=mine, by=finance, code="1", issued_on=today, payer_email="wang@example.org"
    )
    receipts.receipt_issue(
        donation=namesake, by=finance, code="1", issued_on=today, payer_email="other@example.org"
    )
    donor = selectors.donor_for_receipt(receipt)
    assert donor.kind == "payer"
    s = selectors.donor_statement(donor, year)
    assert [g["donation"] for g in s["gifts"]] == [mine] and s["total"] == Decimal("50.00")


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", ["Statement of gifts for", "Steel Works Community Fund", "3,900.50", "Designated to"]),
        # Labels the Chinese catalogue already holds (the statement's own strings follow with it).
        ("zh-hans", ["社区赋能项目", "捐赠人", "指定用途", "余额", "Steel Works Community Fund", "3,900.50"]),
    ],
)
def test_statement_pdf_in_the_donors_language(
    books, finance, year, language, expected, django_capture_on_commit_callbacks
):
    donor = selectors.donor_of(books["steel"])
    with django_capture_on_commit_callbacks(execute=True):
        document = receipts.statement_document(donor=donor, year=year, language=language, by=finance)
    document.refresh_from_db()
    assert document.status == "ready", document.error
    text = _text(document)
    for piece in expected:
        assert piece in text, (piece, text[:500])
    assert "Other Donor Ltd" not in text and "8,888.00" not in text and "9,999.00" not in text
    assert "Blood pressure monitors" in text
    if language == "zh-hans":
        assert "Designated to" not in text and "Balance" not in text


def test_signed_link_serves_the_statement_pdf(books, year, django_capture_on_commit_callbacks):
    token = links.statement_token(selectors.donor_of(books["steel"]), year, "en")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().get(reverse("fundraising:statement_link", args=[token]))
    if response.status_code == 202:  # rendered after commit: the page reloads
        response = Client().get(reverse("fundraising:statement_link", args=[token]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"].startswith("private")


def test_a_tampered_link_is_not_found(books, year):
    donor = selectors.donor_of(books["steel"])
    token = links.statement_token(donor, year, "en")
    value, _sep, rest = token.partition(":")
    forged = signing.dumps({"k": "funder", "i": books["other"].pk, "y": year, "l": "en"}, salt="another")
    for bad in (forged, value[:-2] + "xx:" + rest, token[:-1] + ("A" if token[-1] != "A" else "B")):
        assert Client().get(reverse("fundraising:statement_link", args=[bad])).status_code == 404
    with pytest.raises(links.LinkInvalid):
        links.statement_read(forged)


def test_an_expired_link_says_so(books, year, monkeypatch):
    token = links.statement_token(selectors.donor_of(books["steel"]), year, "en")
    later = time.time() + (links.LINK_DAYS + 1) * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(links.LinkExpired):
        links.statement_read(token)
    response = Client().get(reverse("fundraising:statement_link", args=[token]))
    assert response.status_code == 410
    assert b"link-expired" in response.content


def test_staff_email_the_donor_a_link_after_commit(books, finance, year, django_capture_on_commit_callbacks):
    donor = selectors.donor_of(books["steel"])
    with django_capture_on_commit_callbacks(execute=True):
        url = receipts.statement_send(
            donor=donor, year=year, language="zh-hans", to="cfo@steel.example", by=finance
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["cfo@steel.example"] and url in message.body
    assert str(year) in message.subject
    donor_back, year_back, language = links.statement_read(url.rstrip("/").rsplit("/", 1)[-1])
    assert (donor_back.subject, year_back, language) == (books["steel"], year, "zh-hans")


def test_public_request_by_receipt_number_and_amount(books, finance, year):
    gift = books["gifts"][1]
    receipt = receipts.receipt_issue(
        donation=gift, by=finance, code="15010126", issued_on=timezone.localdate()
    )
    client = Client()
    url = reverse("fundraising:statement_request")
    wrong = client.get(url, {"number": receipt.number, "amount": "1.00", "year": year})
    assert wrong.status_code == 404
    bad = client.get(url, {"number": receipt.number, "amount": "abc", "year": year})
    assert bad.status_code == 400
    response = client.get(url, {"number": receipt.number, "amount": "2500.50", "year": year})
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    donor, year_back, _language = links.statement_read(token)
    assert donor.subject == books["steel"] and year_back == year
    # A voided receipt proves nothing.
    receipts.receipt_void(receipt=receipt, by=finance, reason="test")
    assert client.get(url, {"number": receipt.number, "amount": "2500.50", "year": year}).status_code == 404


def test_guessing_receipt_numbers_is_slowed_down_per_client(books, year):
    """Past STATEMENT_REQUESTS_PER_HOUR lookups in an hour, a client is refused (429, with the reason) even
    for a right number and amount; another address is not affected."""
    from django.core.cache import cache  # noqa: PLC0415

    from fundraising.receipt_views import STATEMENT_REQUESTS_PER_HOUR  # noqa: PLC0415

    cache.clear()
    url = reverse("fundraising:statement_request")
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(STATEMENT_REQUESTS_PER_HOUR):
        assert guesser.get(url, {"number": f"{n:08d}", "amount": "1.00", "year": year}).status_code == 404
    refused = guesser.get(url, {"number": "00000001", "amount": "1.00", "year": year})
    assert refused.status_code == 429
    assert "Too many requests were sent from here" in refused.content.decode()
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.get(url, {"number": "00000001", "amount": "1.00", "year": year}).status_code == 404
