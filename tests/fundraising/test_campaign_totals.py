"""Each campaign's income kept beside the ledger (LedgerCampaignTotal, fundraising.campaigntotals): kept by
every posting of a campaign's gift (one by one, in a batch of signed notifications, a matching gift, a
reversal) in the same transaction, equal to the sums of the entries, rebuilt with the monthly totals,
filled by its migration for the gifts posted before it, and checked by verify_ledger."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from fundraising import campaigntotals, ledger, notify, selectors, services
from fundraising.models import DonationNotification, Funder, LedgerCampaignTotal
from fundraising.selectors import books
from tests.factories.fundraising import FunderFactory, campaign, donate, project

pytestmark = pytest.mark.django_db


def _kept() -> dict:
    return {
        (r.campaign_id, r.is_matching, r.reversal): (r.amount, r.entries)
        for r in LedgerCampaignTotal.objects.all()
    }


def _raised_from_entries(drive, matching: bool) -> Decimal:
    """The definition: minus the campaign's income entries (selectors.campaign_income), summed."""
    rows = selectors.campaign_income().filter(campaign_id=drive.pk, is_matching=matching)
    return -books.money(rows.aggregate(s=Sum("amount"))["s"])


@pytest.fixture
def drives(org_a, people):
    finance = people["finance_officer"]
    fund = services.fund_for_project(project(org_a, status="active"))
    partner = FunderFactory(kind=Funder.Kind.ENTERPRISE)
    drive = campaign(fund, matching_partner=partner, matching_ratio=Decimal("1"), matching_cap=Decimal("900"))
    other = campaign(fund, slug="spring", title="Spring", channel=drive.channel)
    gifts = [
        donate(fund=fund, amount=amount, by=finance, channel=drive.channel, campaign=drive)
        for amount in ("400.00", "250.00", "90.00")
    ]
    donate(fund=fund, amount="300.00", by=finance, channel=drive.channel, campaign=drive, is_matching=True)
    donate(fund=fund, amount="5000.00", by=finance, channel=drive.channel, campaign=other)
    donate(fund=fund, amount="70.00", by=finance, channel=drive.channel)  # to the fund, no campaign
    services.donation_reverse(donation=gifts[1], by=finance, reason="card charged back")
    return type("Drives", (), {"drive": drive, "other": other, "fund": fund, "finance": finance})


def test_each_posting_of_a_campaign_gift_keeps_its_total_equal_to_the_entries(drives):
    drive, other = drives.drive, drives.other
    assert _kept() == campaigntotals.from_entries()
    assert _kept() == {
        # The public's three gifts and the reversal of one; one matching gift; the other campaign's gift.
        (drive.pk, False, False): (Decimal("-740.00"), 3),
        (drive.pk, False, True): (Decimal("250.00"), 1),
        (drive.pk, True, False): (Decimal("-300.00"), 1),
        (other.pk, False, False): (Decimal("-5000.00"), 1),
    }
    progress = selectors.campaign_progress(drive)
    assert progress["raised"] == _raised_from_entries(drive, False) == Decimal("490.00")
    assert progress["matching_recorded"] == _raised_from_entries(drive, True) == Decimal("300.00")
    # The public's gifts still recorded, as the donations count them.
    assert progress["donors"] == drive.donations.filter(status="recorded", is_matching=False).count() == 2
    listed = {c.pk: c for c in selectors.campaigns_with_money(type(drive).objects.all())}
    assert listed[other.pk].money_raised == Decimal("5000.00")
    assert listed[drive.pk].money_raised == Decimal("790.00") == progress["total_recorded"]


def test_a_batch_of_signed_notifications_for_a_campaign_keeps_its_total(drives):
    drive = drives.drive
    before = selectors.campaign_progress(drive)["raised"]
    for n, amount in enumerate(("20.00", "50.00", "100.00")):
        DonationNotification.objects.create(
            channel=drive.channel,
            external_id=f"N-{n}",
            receipt_number=f"N-{n}",
            amount=Decimal(amount),
            received_on=drive.starts_on,
            fund=drive.fund,
            campaign=drive,
        )
    assert notify.record_pending() == 3
    assert selectors.campaign_progress(drive)["raised"] == before + Decimal("170.00")
    assert _kept() == campaigntotals.from_entries()


def test_rebuilt_with_the_monthly_totals_and_filled_by_the_migration(drives):
    expected = _kept()
    LedgerCampaignTotal.objects.all().delete()
    ledger.rebuild_month_totals()
    assert _kept() == expected
    LedgerCampaignTotal.objects.all().delete()
    migration = importlib.import_module("fundraising.migrations.0025_ledger_campaign_totals")
    migration.fill_from_entries(apps, None)
    assert _kept() == expected


def test_verify_ledger_names_a_campaign_whose_kept_total_differs_from_its_entries(drives, capsys):
    call_command("verify_ledger")
    row = LedgerCampaignTotal.objects.get(campaign=drives.drive, is_matching=False, reversal=False)
    LedgerCampaignTotal.objects.filter(pk=row.pk).update(amount=row.amount - Decimal("1.00"))
    with pytest.raises(CommandError, match=r"problem\(s\)"):
        call_command("verify_ledger")
    err = capsys.readouterr().err
    assert f"campaign #{drives.drive.pk} gifts from the public: kept {row.amount - Decimal('1.00')}" in err
