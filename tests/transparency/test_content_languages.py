"""Public texts in both languages (django-modeltranslation): a page or PDF shows the visitor's language, and a
text given only in the other language with a visible mark beside it; staff edit both languages in the
admin; organizations in their profile form; the data migration kept every existing text."""

import importlib
import re

import pypdf
import pytest
from django.test import Client
from django.utils import translation

from empowerment.models import Document
from empowerment.translated import translated, written_in
from fundraising.models import Channel
from organizations.models import Organization
from projects.models import Project
from transparency import services
from transparency.periods import quarter

pytestmark = pytest.mark.django_db


MARK_ZH = re.compile(
    r'<span lang="zh-Hans">([^<]*)</span> <abbr class="lang-mark" lang="zh-Hans"[^>]*>中</abbr>'
)
MARK_EN = re.compile(r'<span lang="en">([^<]*)</span> <abbr class="lang-mark" lang="en"[^>]*>EN</abbr>')


def _page(path, language) -> str:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(path)
    assert response.status_code == 200, (path, language, response.status_code)
    return response.content.decode()


@pytest.fixture
def both(programme):
    """p1 has its title in both languages; p2 ("Safe stairs") only in English; org A's description only in
    English, org B's name in both."""
    Project.objects.filter(pk=programme.p1.pk).update(title_zh_hans="长者健康检查")
    return programme


def test_a_project_page_shows_the_visitors_language_and_marks_the_other(both):
    zh = _page("/projects/health-checks/", "zh-hans")
    assert '<h1 class="h3">长者健康检查</h1>' in zh
    assert "Health checks for older residents" not in zh
    en = _page("/projects/health-checks/", "en")
    assert '<h1 class="h3">Health checks for older residents</h1>' in en
    assert "长者健康检查" not in en
    # Only in English: on the Chinese page, in English with its mark (and a lang attribute).
    stairs = _page("/projects/safe-stairs/", "zh-hans")
    assert "Safe stairs" in MARK_EN.findall(stairs)
    # The organization's name is given in both: each page shows its own, without a mark.
    assert "甲社区服务中心" in zh and "Org A" not in zh and not MARK_ZH.search(en)


def test_lists_and_the_organization_page_mark_texts_in_the_other_language(both):
    projects_zh = _page("/projects/", "zh-hans")
    assert "长者健康检查" in projects_zh
    assert "Safe stairs" in MARK_EN.findall(projects_zh)
    org = Organization.objects.get(slug="org-a")
    assert org.description_en and not org.description_zh_hans
    org_zh = _page(f"/organizations/{org.slug}/", "zh-hans")
    assert '<h1 class="h3">甲社区服务中心</h1>' in org_zh
    assert 'class="lang-mark" lang="en"' in org_zh and org.description_en in org_zh
    org_en = _page(f"/organizations/{org.slug}/", "en")
    assert '<h1 class="h3">Org A</h1>' in org_en and 'class="lang-mark"' not in org_en


def test_the_report_list_names_languages_instead_of_codes(both, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_request(period=quarter(2026, 1), language="zh-hans", project=both.p2, by=both.officer)
    page = _page("/projects/safe-stairs/", "en")
    assert "(Simplified Chinese)" in page and "(zh-hans)" not in page


@pytest.mark.parametrize(("language", "mark"), [("zh-hans", MARK_EN), ("en", None)])
def test_a_pdf_shows_the_report_language_and_marks_the_other(
    both, django_capture_on_commit_callbacks, language, mark
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            period=quarter(2026, 1), language=language, project=both.p2, by=both.officer
        )
    document = Document.objects.get(pk=report.document_id)
    assert document.status == Document.Status.READY, document.error
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(document.file.open("rb")).pages)
    assert "Safe stairs" in text
    if mark:  # the English title in the Chinese report carries the EN mark right after it
        assert re.search(r"Safe stairs\s*EN", text), text[:400]
    else:
        assert not re.search(r"Safe stairs\s*EN", text)


def test_the_helper_falls_back_and_says_which_language(both):
    p2 = Project.objects.get(pk=both.p2.pk)
    with translation.override("zh-hans"):
        t = translated(p2, "title")
        assert (t.text, t.language, t.fallback) == ("Safe stairs", "en", True)
        assert p2.title == "Safe stairs"  # the model's own attribute falls back the same way
    with translation.override("en"):
        assert translated(p2, "title").fallback is False
    assert written_in("甲社区") == "zh-hans" and written_in("Org A") == "en"


def test_staff_edit_both_languages_of_a_channel_in_the_admin(client, people):
    channel = Channel.objects.create(code="bank-x", name_en="Bank account", kind=Channel.Kind.BANK)
    client.force_login(people["administrator"])
    url = f"/admin/fundraising/channel/{channel.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="name_zh_hans"' in html and 'name="name_en"' in html and 'name="name"' not in html
    response = client.post(
        url,
        {
            "code": "bank-x",
            "name_zh_hans": "基金会银行账户",
            "name_en": "Foundation bank account",
            "kind": "bank",
            "notify_secret": channel.notify_secret,
            "column_mapping": "{}",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    channel.refresh_from_db()
    assert (channel.name_zh_hans, channel.name_en) == ("基金会银行账户", "Foundation bank account")
    with translation.override("zh-hans"):
        assert str(channel) == "基金会银行账户"


def test_a_chinese_name_is_required_in_the_admin(client, people):
    client.force_login(people["administrator"])
    response = client.post(
        "/admin/fundraising/channel/add/",
        {
            "code": "cash-y",
            "name_en": "Cash",
            "kind": "cash",
            "notify_secret": "a-secret-for-the-test",
            "column_mapping": "{}",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "name_zh_hans" in response.context["adminform"].form.errors
    assert not Channel.objects.filter(code="cash-y").exists()


def test_the_data_migration_keeps_the_english_name_and_moves_the_name_to_chinese(org_a):
    migration = importlib.import_module("organizations.migrations.0005_public_texts_in_both_languages")
    latin = Organization.objects.create(
        name_en="Latin Only Group", slug="latin-only", legal_form="unregistered", area=org_a.area
    )
    # The rows as they were before the migration (`name` is the column itself here, not rewritten): a name, an English name (or none) and a description.
    Organization.objects.rewrite(False).filter(pk=org_a.pk).update(
        name="甲社区服务中心", name_en="Org A", name_zh_hans=None, description="社区介绍", description_en=None
    )
    Organization.objects.rewrite(False).filter(pk=latin.pk).update(
        name="Latin Only Group", name_en="", name_zh_hans=None, description="", description_en=None
    )
    migration.organizations_forwards(Organization)
    org_a.refresh_from_db()
    latin.refresh_from_db()
    assert (org_a.name_zh_hans, org_a.name_en, org_a.description_zh_hans) == (
        "甲社区服务中心",
        "Org A",
        "社区介绍",
    )
    assert (latin.name_zh_hans, latin.name_en, latin.description_en) == (None, "Latin Only Group", None)


def test_staff_and_portal_dates_are_written_as_each_language_writes_them():
    from datetime import date  # noqa: PLC0415

    from django.template import Context, Template  # noqa: PLC0415

    template = Template("{% load platform %}{{ d|day }}")  # what the staff and portal pages now use
    for language, expected in [("en", "March 5, 2026"), ("zh-hans", "2026年3月5日")]:
        with translation.override(language):
            assert template.render(Context({"d": date(2026, 3, 5)})) == expected


def test_money_by_channel_names_each_channel_in_the_visitors_language(both):
    """Money is grouped by channel and named as shown: the fund's, the period's and the finance dashboard's
    income by channel carry the channel's name in the active language, whichever language it was saved in."""
    from fundraising import selectors as books  # noqa: PLC0415
    from fundraising.selectors import staff  # noqa: PLC0415

    Channel.objects.filter(pk=both.platform.pk).update(name_zh_hans="网络募捐平台", name_en="Online platform")
    Channel.objects.filter(pk=both.bank.pk).update(name_zh_hans="银行账户", name_en="Bank account")
    fund = both.p1.fund
    for language, platform, bank in (
        ("en", "Online platform", "Bank account"),
        ("zh-hans", "网络募捐平台", "银行账户"),
    ):
        with translation.override(language):
            by_fund = {row["channel__name"] for row in books.fund_money(fund)["by_channel"]}
            assert platform in by_fund
            raised = dict(books.programme_money(None)["raised_by_channel"])
            assert {platform, bank} <= set(raised)
            dashboard = {row["channel__name"] for row in staff.dashboard(2026)["by_channel"]}
            assert {platform, bank} <= dashboard
    # The same sums in both languages: only the names change.
    with translation.override("en"):
        en = [total for _name, total in books.programme_money(None)["raised_by_channel"]]
    with translation.override("zh-hans"):
        zh = [total for _name, total in books.programme_money(None)["raised_by_channel"]]
    assert en == zh and all(en)
