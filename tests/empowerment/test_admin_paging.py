"""The admin's lists over large tables: fifty rows a page, each row's selection box as Django draws it."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin

from empowerment.authz import FINANCE_OFFICER
from fundraising.models import Donation
from tests.factories.core import staff_user
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
