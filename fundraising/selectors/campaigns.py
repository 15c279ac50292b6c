"""Campaign reads: public campaigns and their progress, with the money from the ledger."""

from decimal import Decimal

from django.db.models import Case, F, IntegerField, QuerySet, Sum, When
from django.db.models.functions import Coalesce

from empowerment.querysets import compiled_once, per_row_subquery

from ..models import Account, Campaign, Donation, LedgerCampaignTotal, LedgerTransaction
from .books import MONEY, ZERO, cash_entries, money

Kind = LedgerTransaction.Kind


def campaign_income():
    """Income entries (cash) of campaign donations, with their reversals: each row's campaign is
    `campaign_id` and its matching flag `is_matching`. Sum -amount for the money raised, net of reversals."""
    return (
        cash_entries()
        .filter(account__type=Account.Type.INCOME)
        .annotate(
            campaign_id=Coalesce(
                "transaction__donation__campaign", "transaction__reverses__donation__campaign"
            ),
            is_matching=Coalesce(
                "transaction__donation__is_matching", "transaction__reverses__donation__is_matching"
            ),
        )
    )


def campaign_raised_subquery(*, matching: bool = False):
    """An annotation of campaigns: a campaign's money raised (net of reversals) from the ledger: the rows of
    campaign_income summed, as the posting service keeps them (LedgerCampaignTotal, checked against the
    entries by `verify_ledger`), so that a campaign of many gifts reads two rows. matching=False counts the
    public's gifts only; True the partner's matching gifts only (their sum is the campaign's total). Compiled
    once per process (`per_row_subquery`)."""

    def build(outer):
        return (
            LedgerCampaignTotal.objects.filter(campaign=outer, is_matching=matching)
            .order_by()
            .values("campaign")
            .annotate(s=-Sum("amount"))
            .values("s")[:1]
        )

    return per_row_subquery(
        f"campaign raised, kept {matching}", Campaign, build, output_field=MONEY, default=ZERO
    )


def _donor_count_subquery():
    """The public's gifts still recorded: each gift has one income entry and its reversal another, so the
    gifts' entries less the reversals' (kept with the campaign's totals) instead of counting its donations."""

    def build(outer):
        signed = Case(
            When(reversal=True, then=-F("entries")), default=F("entries"), output_field=IntegerField()
        )
        return (
            LedgerCampaignTotal.objects.filter(campaign=outer, is_matching=False)
            .order_by()
            .values("campaign")
            .annotate(n=Sum(signed))
            .values("n")[:1]
        )

    return per_row_subquery("campaign donors, kept", Campaign, build, output_field=IntegerField(), default=0)


def campaigns_with_money(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Campaigns (read for their rows: not to nest in another query) annotated with `money_raised` (the public's gifts and the partner's matching gifts, net of
    reversals, from the ledger: the same figure as campaign_progress' `total_recorded`), `raised` (the
    same, the name the campaign list has always used), `public_raised` (the public's gifts only:
    campaign_progress' `raised`) and `donation_count` (gifts from the public still recorded)."""
    # The total is the public's part plus the matching part (which reaches only the few matching gifts),
    # not a third subquery rereading every gift of the campaign.
    return campaigns.annotate(
        public_raised=campaign_raised_subquery(matching=False),
        matched_raised=campaign_raised_subquery(matching=True),
        donation_count=_donor_count_subquery(),
    ).annotate(money_raised=F("public_raised") + F("matched_raised"), raised=F("money_raised"))


def public_campaigns() -> QuerySet[Campaign]:
    return campaigns_with_money(
        Campaign.objects.filter(published=True)
        .select_related("fund", "fund__project")
        .prefetch_related("images")
    ).order_by("-starts_on")


def public_campaign(slug: str) -> Campaign | None:
    return (
        Campaign.objects.filter(published=True, slug=slug)
        .select_related("fund", "fund__project", "matching_partner")
        .prefetch_related("images")
        .first()
    )


def campaign_progress(campaign: Campaign) -> dict:
    """Raised so far (the public's gifts, net of reversals, from the ledger), the partner's matching
    (pledged by the ratio up to the cap, and recorded), the total toward the goal and the percentage.

    `total` counts the matching pledged even before the partner pays it (the goal's progress);
    `total_recorded` = raised + matching_recorded is the money actually in the books."""
    # One statement, with the per-campaign subqueries of every list of campaigns (campaigns_with_money),
    # compiled once (empowerment.querysets.compiled_once): the campaign page's progress bar polls it.
    row = compiled_once("campaign progress", _progress, campaign=campaign.pk)[0]
    raised, matched, donors = money(row["raised"]), money(row["matched"]), row["donors"]
    pledged = ZERO
    if campaign.matching_partner_id and campaign.matching_ratio > 0:
        pledged = min((raised * campaign.matching_ratio).quantize(Decimal("0.01")), campaign.matching_cap)
    total = raised + max(matched, pledged)
    percent = int(min(100, total * 100 / campaign.goal)) if campaign.goal else 0
    return {
        "raised": raised,
        "matching_pledged": pledged,
        "matching_recorded": matched,
        "matching_owed": max(ZERO, pledged - matched),
        "total": total,
        "total_recorded": raised + matched,
        "percent": percent,
        "donors": donors,
        "goal": campaign.goal,
    }


def _progress(campaign: int) -> QuerySet:
    return (
        Campaign.objects.filter(pk=campaign)
        .annotate(
            raised=campaign_raised_subquery(matching=False),
            matched=campaign_raised_subquery(matching=True),
            donors=_donor_count_subquery(),
        )
        .values("raised", "matched", "donors")
    )


def campaign_donations(campaign: Campaign, limit: int = 100) -> list[tuple[str, Decimal]]:
    """The campaign's latest recorded donations as its public page lists them: (the donor's public name,
    Donation.name_shown, and the amount), read as columns only, compiled once."""

    def latest(campaign: int) -> QuerySet:
        return (
            Donation.objects.filter(campaign=campaign, status=Donation.Status.RECORDED)
            .order_by("-received_on", "-pk")
            .values_list("show_name", "donor_name", "funder__name", "amount")[:limit]
        )

    rows = compiled_once(f"campaign donations, {limit}", latest, campaign=campaign.pk)
    return [(Donation.name_shown(show, donor, funder), amount) for show, donor, funder, amount in rows]
