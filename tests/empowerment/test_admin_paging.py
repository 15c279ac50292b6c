"""The admin's lists over large tables: fifty rows a page, each row's selection box as Django draws it."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db import connection as db_connection

from empowerment.authz import FINANCE_OFFICER
from fundraising.models import Donation
from tests.factories.core import UserFactory, staff_user
from tests.factories.fundraising import ChannelFactory, donate

pytestmark = pytest.mark.django_db


def test_a_rows_selection_box_is_the_markup_of_djangos_own_widget():
    channel = ChannelFactory(code="bank-main", name="Bank <main> & co")
    fast = admin.site._registry[Donation]
    donation = donate(channel=channel, receipt_number='R-"1"<2>')

    assert fast.action_checkbox(donation) == ModelAdmin.action_checkbox(fast, donation)
    assert 'aria-label="Select this object for an action - ' in fast.action_checkbox(donation)
    assert "<2>" not in fast.action_checkbox(donation)  # the donation's name is escaped


def test_the_donation_list_shows_fifty_rows_a_page_and_its_boxes_drive_the_actions(client):
    channel = ChannelFactory(code="bank-main", name="Bank account")
    donations = [donate(channel=channel, amount="10.00") for _ in range(53)]
    client.force_login(staff_user(FINANCE_OFFICER))

    first = client.get("/admin/fundraising/donation/").content.decode()
    second = client.get("/admin/fundraising/donation/", {"p": "2"}).content.decode()
    boxes = re.compile(r'<input type="checkbox" name="_selected_action" value="(\d+)" class="action-select"')
    assert len(boxes.findall(first)) == 50
    assert len(boxes.findall(second)) == 3
    assert {int(pk) for pk in boxes.findall(first) + boxes.findall(second)} == {d.pk for d in donations}

    # A box ticked in the list selects its row for an action (here: reverse, recorded by mistake).
    chosen = donations[0]
    response = client.post(
        "/admin/fundraising/donation/", {"action": "reverse", "_selected_action": [chosen.pk]}
    )
    assert response.status_code == 302
    chosen.refresh_from_db()
    assert chosen.status == Donation.Status.REVERSED
    assert Donation.objects.filter(status=Donation.Status.REVERSED).count() == 1


def _rows_both_ways(model_admin, rf, user, query=""):
    """The rows of the changelist at `query` as empowerment.admin_paging.result_rows draws them and as
    Django's admin_list.results does (change_list_results.html writes a row's items one after another)."""
    from django.contrib.admin.templatetags.admin_list import results
    from django.urls import resolve

    from empowerment.admin_paging import result_rows

    path = f"/admin/{model_admin.opts.app_label}/{model_admin.opts.model_name}/"
    request = rf.get(path + query)
    request.user, request.resolver_match = user, resolve(path)
    cl = model_admin.get_changelist_instance(request)
    cl.formset = None  # as changelist_view leaves it for a list without editable fields
    return ["".join(row) for row in result_rows(cl)], ["".join(row) for row in results(cl)]


def test_the_large_lists_rows_are_djangos_markup_byte_for_byte(org_a, people, rf):
    from decimal import Decimal

    from django.utils import timezone

    from empowerment.admin_paging import LargeTableAdminMixin
    from fundraising import ledger, services
    from fundraising.models import Funder
    from tests.factories.fundraising import FunderFactory, project, receipt_file

    finance = people["finance_officer"]
    channel = ChannelFactory(code="bank-main", name="Bank <main> & co")
    p = project(org_a)
    fund = services.fund_for_project(p)
    donate(fund=ledger.general_fund(), amount="20000.00", channel=channel, receipt_number='R-"1"<2>')
    donate(fund=fund, amount="3000.50", channel=channel, funder=FunderFactory(kind=Funder.Kind.FOUNDATION))
    mistaken = donate(fund=fund, amount="500.00", channel=channel, donor_name="Wang & <Li>")
    services.donation_reverse(donation=mistaken, by=finance, reason="entered twice")
    services.allocation_create(
        from_fund=ledger.general_fund(),
        to_fund=fund,
        amount=Decimal("9000.00"),
        allocated_on=timezone.localdate(),
        by=finance,
    )
    services.expenditure_submit(
        project=p,
        budget_line=p.budget_lines.first(),
        amount=Decimal("1250.00"),
        spent_on=timezone.localdate(),
        description='Kits <for> "checks"',
        payee="Pharmacy & co",
        document=receipt_file(),
        by=people["a_admin"],
        paid_from="bank",
    )
    superuser = UserFactory(is_staff=True, is_superuser=True)
    large = [ma for ma in admin.site._registry.values() if isinstance(ma, LargeTableAdminMixin)]
    assert {ma.model._meta.model_name for ma in large} >= {"donation", "expenditure", "ledgerentry"}
    for model_admin in large:
        for query in ["", "?o=-2", "?q=R", "?q=%3C"]:
            ours, djangos = _rows_both_ways(model_admin, rf, superuser, query)
            assert ours == djangos, (model_admin, query)
    ours, djangos = _rows_both_ways(admin.site._registry[Donation], rf, superuser, "?status__exact=reversed")
    assert ours == djangos and len(ours) == 1 and ">Reversed</td>" in ours[0]
    ours, _djangos = _rows_both_ways(admin.site._registry[Donation], rf, superuser, "?o=-2")
    assert len(ours) == 3 and "_changelist_filters=o%3D-2" in str(ours[0])  # the links keep the list's view
    assert "R-&quot;1&quot;&lt;2&gt;" in str(ours)  # escaped as Django escapes it


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_channel_filter_offers_the_choices_django_offers_read_once(client, language):
    """The money lists' channel filter (fundraising.admin.ChannelListFilter): every channel, in the model's
    order and by its name in the visitor's language, as ForeignKey.get_choices gives them; a channel added
    later is offered too, and the filter still narrows the list."""
    from django.utils import translation

    from fundraising import selectors as books

    bank = ChannelFactory(code="bank-main", name_en="Bank account", name_zh_hans="银行账户")
    ChannelFactory(code="alipay", name_en="Alipay", name_zh_hans="支付宝")
    donate(channel=bank, amount="10.00", receipt_number="R-BANK")
    field = Donation._meta.get_field("channel")
    with translation.override(language):
        assert books.channel_choices() == field.get_choices(include_blank=False, ordering=())
        ChannelFactory(code="wechat", name_en="WeChat Pay", name_zh_hans="微信支付")
        assert books.channel_choices() == field.get_choices(include_blank=False, ordering=())
        assert books.channel_choices(("-code",)) == field.get_choices(
            include_blank=False, ordering=("-code",)
        )
    client.force_login(staff_user(FINANCE_OFFICER))
    page = client.get("/admin/fundraising/donation/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for name in (
        ("Bank account", "Alipay", "WeChat Pay") if language == "en" else ("银行账户", "支付宝", "微信支付")
    ):
        assert name in page
    filtered = client.get("/admin/fundraising/donation/", {"channel__id__exact": bank.pk}).content.decode()
    assert "R-BANK" in filtered


@pytest.mark.parametrize("model_name", ["donation", "expenditure"])
def test_a_large_list_reading_only_what_its_rows_show_draws_the_same_page(
    client, org_a, people, model_name, monkeypatch
):
    """The donation and expenditure lists read their rows with `list_only` (the related project's and
    organization's long texts left unread): the page is the one drawn from whole rows, in both languages,
    with no statement per row."""
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from fundraising import services
    from fundraising.models import Expenditure
    from tests.factories.fundraising import FunderFactory, project, receipt_file

    model_admin = admin.site._registry[Donation if model_name == "donation" else Expenditure]
    assert model_admin.list_only
    p = project(org_a)
    p.title_zh_hans, p.summary = "健康检查", "A long summary " * 15
    p.save()
    fund = services.fund_for_project(p)
    channel = ChannelFactory(code="bank-main", name_en="Bank account", name_zh_hans="银行账户")
    for n in range(12):
        donate(fund=fund, amount=f"{100 + n}.00", channel=channel, funder=FunderFactory(name=f"Giver <{n}>"))
        services.expenditure_submit(
            project=p,
            budget_line=p.budget_lines.first(),
            amount=Decimal("10.00") + n,
            spent_on=timezone.localdate(),
            description=f"Kits <{n}>",
            payee="Pharmacy",
            document=receipt_file(),
            by=people["a_admin"],
            paid_from="bank",
        )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/fundraising/{model_name}/"
    for language in ("en", "zh-hans"):
        with CaptureQueriesContext(connection) as captured:
            ours = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        listed = [
            q["sql"] for q in captured.captured_queries if f'FROM "fundraising_{model_name}"' in q["sql"]
        ]
        unread = (
            '"fundraising_fund"."description' if model_name == "donation" else '"projects_project"."summary'
        )
        assert len(captured.captured_queries) <= 6 and listed and unread not in " ".join(listed)
        monkeypatch.setattr(model_admin, "list_only", ())
        whole = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        monkeypatch.undo()
        strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
        assert strip.sub("", ours) == strip.sub("", whole)
        assert (
            "健康检查" if language == "zh-hans" else p.title_en or p.title
        ) in ours or model_name == "donation"
        assert "Kits &lt;3&gt;" in ours or "Giver &lt;3&gt;" in ours


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_action_forms_fields_are_djangos_markup_drawn_once_for_their_choices(language):
    from django.contrib.admin import helpers
    from django.utils import translation

    from empowerment.admin_paging import KeptActionForm

    def drawn(form_class, choices):
        form = form_class(auto_id=None)
        form.fields["action"].choices = choices
        return [str(field) for field in form]

    reverse = [("", "---------"), ("reverse", "Reverse the selected <donations> & more")]
    delete = [*reverse, ("delete_selected", "Delete selected donations")]
    with translation.override(language):
        for choices in (reverse, delete, reverse):  # a change of choices draws them again, and back
            assert drawn(KeptActionForm, choices) == drawn(helpers.ActionForm, choices)
        assert "&lt;donations&gt; &amp; more" in drawn(KeptActionForm, reverse)[0]
        assert "delete_selected" not in drawn(KeptActionForm, reverse)[0]
        bound = KeptActionForm({"action": "nothing-such"}, auto_id=None)
        bound.fields["action"].choices = reverse
        assert not bound.is_valid() and str(bound["action"]) == str(
            _bound_django_form({"action": "nothing-such"}, reverse)["action"]
        )


def _bound_django_form(data, choices):
    from django.contrib.admin import helpers

    form = helpers.ActionForm(data, auto_id=None)
    form.fields["action"].choices = choices
    form.is_valid()
    return form


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_large_lists_filters_are_djangos_markup_drawn_once_for_their_choices(rf, language):
    """Each filter of the donation and expenditure lists ({% kept_list_filter %}) is the markup of Django's
    {% admin_list_filter %} for the same list, whether drawn or kept: unfiltered, with a filter chosen (its
    choice then selected, the links keeping it), with a channel added since (a choice more) and renamed
    with markup in its name (escaped); a page of the list shows its kept filters."""
    from django.contrib.admin.templatetags.admin_list import admin_list_filter
    from django.urls import resolve
    from django.utils import translation

    from empowerment import admin_paging
    from fundraising.models import Expenditure

    superuser = UserFactory(is_staff=True, is_superuser=True)
    bank = ChannelFactory(code="bank-main", name="Bank account")
    donate(channel=bank, amount="10.00")

    def both_ways(model, query=""):
        model_admin = admin.site._registry[model]
        path = f"/admin/fundraising/{model._meta.model_name}/"
        request = rf.get(path + query)
        request.user, request.resolver_match = superuser, resolve(path)
        cl = model_admin.get_changelist_instance(request)
        return [
            (admin_paging.kept_list_filter(cl, spec), admin_list_filter(cl, spec)) for spec in cl.filter_specs
        ]

    with translation.override(language):
        admin_paging._kept_filters.clear()
        for model, query in [
            (Donation, ""),
            (Donation, ""),  # kept this time
            (Donation, "?status__exact=reversed"),
            (Donation, f"?channel__id__exact={bank.pk}"),
            (Expenditure, ""),
            (Expenditure, "?status__exact=approved"),
        ]:
            pairs = both_ways(model, query)
            assert pairs and all(kept == djangos for kept, djangos in pairs), (model, query)
        assert len(admin_paging._kept_filters) >= 5  # what was drawn is kept
        chosen = "".join(kept for kept, _djangos in both_ways(Donation, "?status__exact=reversed"))
        assert 'class="selected"' in chosen and "status__exact=reversed" in chosen

        ChannelFactory(code="wechat", name="WeChat <Pay> & co")
        pairs = both_ways(Donation)
        assert all(kept == djangos for kept, djangos in pairs)
        assert "WeChat &lt;Pay&gt; &amp; co" in "".join(kept for kept, _djangos in pairs)


def test_a_large_list_page_is_the_page_djangos_change_list_template_draws(client, monkeypatch):
    """The donation list's page (admin/large_change_list.html: its rows, action form and filters kept) is
    the page Django's own admin/change_list.html draws for the same list, but for the form's token and the
    templates' spacing: unfiltered and with a filter chosen, in both languages."""
    from fundraising.admin import DonationAdmin

    donate(channel=ChannelFactory(code="bank-main", name="Bank <main>"), amount="10.00")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    def page(query, language):
        html = client.get(
            "/admin/fundraising/donation/" + query, HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html))

    for language in ("en", "zh-hans"):
        for query in ("", "?status__exact=reversed"):
            ours = page(query, language)
            monkeypatch.setattr(DonationAdmin, "change_list_template", "admin/change_list.html")
            djangos = page(query, language)
            monkeypatch.undo()
            assert 'id="changelist-filter"' in ours
            assert ours == djangos, (language, query)


@pytest.mark.skipif(db_connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_the_unfiltered_large_lists_count_is_the_planners_estimate_read_once_a_minute(monkeypatch):
    """The unfiltered list of a large table counts its rows by the planner's estimate (pg_class.reltuples),
    read once a minute per process; a filtered list counts exactly."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from empowerment import admin_paging

    for n in range(3):
        donate(amount=f"{n + 1}.00")
    # The estimate as the planner has it (no ANALYZE here: its figures outlive the test's transaction and
    # would change the plans of the tests after it).
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'fundraising_donation'::regclass")
        estimate = cursor.fetchone()[0]
    monkeypatch.setattr(admin_paging, "ESTIMATE_ABOVE", min(estimate, 0) - 1)
    monkeypatch.setattr(admin_paging, "_estimates", {})

    def counted(qs):
        with CaptureQueriesContext(connection) as captured:
            count = admin_paging.EstimatedCountPaginator(qs, 50).count
        return count, len(captured.captured_queries)

    assert counted(Donation.objects.order_by("-pk")) == (estimate, 1)
    assert counted(Donation.objects.order_by("-pk")) == (estimate, 0)  # kept for the minute
    assert counted(Donation.objects.filter(amount__gt=1)) == (2, 1)  # filtered: counted exactly
    monkeypatch.setattr(admin_paging, "ESTIMATE_KEPT_SECONDS", 0)
    assert counted(Donation.objects.order_by("-pk")) == (estimate, 1)  # read again once the minute is over
