"""The import's dry run is a promise: confirm writes exactly the rows, amounts and designations it showed, or
refuses (nothing written) when the file, the column mapping or any parsed figure changed. Row-level checks
(unknown designations, yes/no cells, formulas, NUL) and what happens when the worker fails or vanishes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError
from django.utils import timezone

from fundraising import importing, ledger
from fundraising.models import Channel, Donation, Fund, ImportBatch
from tests.factories.fundraising import ChannelFactory

pytestmark = pytest.mark.django_db

# A bank's export with two amount columns: the gross paid in, and the net after the platform's fee.
HEADER = "流水号,实收金额,到账金额,日期,捐赠人,是否公开,项目编号\n"
ROWS = "P1,100.00,99.00,2024-03-01,张伟,是,tuanjie\nP2,50.00,49.50,2024-03-02,李娜,否,\nP3,30.00,29.70,2024-03-03,王芳,,tuanjie\n"
GROSS = {
    "external_id": "流水号",
    "amount": "实收金额",
    "date": "日期",
    "donor_name": "捐赠人",
    "show_name": "是否公开",
    "designation": "项目编号",
}
NET = {**GROSS, "amount": "到账金额"}


@pytest.fixture
def setup(people):
    channel = ChannelFactory(code="bank-contract", name="招商银行")
    Fund.objects.create(code="tuanjie", name="团结社区基金", kind=Fund.Kind.COMMUNITY)
    return channel, people["finance_officer"]


def _upload(channel, user, content: str | bytes, *, mapping=GROSS, save_mapping=True, name="bank.csv"):
    data = content.encode() if isinstance(content, str) else content
    return importing.import_upload(
        channel=channel,
        upload=SimpleUploadedFile(name, data),
        mapping=mapping,
        by=user,
        save_mapping=save_mapping,
    )


def _confirm(batch, capture, shown=None):
    with capture(execute=True):
        importing.import_confirm(batch=batch, by=batch.uploaded_by, shown=shown)
    return ImportBatch.objects.get(pk=batch.pk)


def test_unticked_save_mapping_confirms_with_the_previewed_mapping(setup, django_capture_on_commit_callbacks):
    channel, finance = setup
    channel.column_mapping = {k: v for k, v in NET.items()}
    channel.save()
    batch = _upload(channel, finance, HEADER + ROWS, mapping=GROSS, save_mapping=False)
    assert [r["amount"] for r in batch.preview] == ["100.00", "50.00", "30.00"]
    assert batch.summary["total"] == "180.00"
    assert batch.summary["by_designation"] == {"general": "50.00", "tuanjie": "130.00"}
    channel.refresh_from_db()
    assert channel.column_mapping["amount"] == "到账金额"  # the saved mapping was left alone
    batch = _confirm(batch, django_capture_on_commit_callbacks, shown=importing.fingerprint(batch))
    assert batch.status == "done", batch.message
    assert sorted(Donation.objects.values_list("amount", flat=True)) == [
        Decimal("30.00"),
        Decimal("50.00"),
        Decimal("100.00"),
    ]


def test_a_mapping_changed_after_the_dry_run_is_refused_and_nothing_is_written(
    setup, django_capture_on_commit_callbacks
):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + ROWS)
    shown = importing.fingerprint(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(mapping=NET)
    with pytest.raises(ValidationError, match="column mapping or the rows"):
        _confirm(batch, django_capture_on_commit_callbacks, shown=shown)
    batch.refresh_from_db()
    assert batch.status == "preview"
    assert Donation.objects.count() == 0
    # Confirmed from the page as it now is, the worker reads the file with the changed mapping, finds other
    # amounts than the dry run's summary, and refuses.
    batch = _confirm(batch, django_capture_on_commit_callbacks, shown=importing.fingerprint(batch))
    assert batch.status == "failed" and "total amount" in batch.message
    assert Donation.objects.count() == 0


def test_a_confirmation_from_a_stale_page_is_refused_and_the_batch_kept(setup, client):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + ROWS)
    client.force_login(finance)
    response = client.post(
        f"/staff/fundraising/imports/{batch.pk}/confirm/", {"shown": "0" * 64}, follow=True
    )
    assert response.status_code == 200
    assert "not those of the page you confirmed" in response.content.decode()
    assert ImportBatch.objects.get(pk=batch.pk).status == "preview" and Donation.objects.count() == 0


def test_the_worker_refuses_rows_that_no_longer_read_as_the_dry_run_showed(
    setup, django_capture_on_commit_callbacks
):
    """Even without the page's fingerprint, the worker reads the file again and compares every figure."""
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + ROWS)
    ImportBatch.objects.filter(pk=batch.pk).update(mapping=NET)
    batch = _confirm(batch, django_capture_on_commit_callbacks)
    assert batch.status == "failed"
    assert "total amount" in batch.message and "Nothing was imported" in batch.message
    assert Donation.objects.count() == 0


def test_a_file_changed_after_the_dry_run_is_refused_and_nothing_is_written(
    setup, django_capture_on_commit_callbacks
):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + ROWS)
    name = batch.file.name
    storage = batch.file.storage
    storage.delete(name)
    storage.save(name, ContentFile((HEADER + ROWS.replace("100.00", "1000.00")).encode()))
    with pytest.raises(ValidationError, match="SHA-256"):
        _confirm(batch, django_capture_on_commit_callbacks, shown=importing.fingerprint(batch))
    assert ImportBatch.objects.get(pk=batch.pk).status == "failed"
    assert Donation.objects.count() == 0


def test_a_file_changed_while_queued_is_refused_by_the_worker(setup, django_capture_on_commit_callbacks):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + ROWS)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        importing.import_confirm(batch=batch, by=finance, shown=importing.fingerprint(batch))
    storage, name = batch.file.storage, batch.file.name
    storage.delete(name)
    storage.save(name, ContentFile((HEADER + ROWS + "P4,5.00,5.00,2024-03-04,,,\n").encode()))
    for callback in callbacks:
        callback()
    batch.refresh_from_db()
    assert batch.status == "failed" and "SHA-256" in batch.message
    assert Donation.objects.count() == 0


def test_designations_naming_no_project_or_fund_are_row_errors(setup, org_a):
    from fundraising.services import fund_for_project
    from tests.factories.fundraising import project

    channel, finance = setup
    p = project(org_a, slug="elder-lunches")
    fund = fund_for_project(p)
    content = (
        HEADER
        + "D1,10.00,10.00,2024-03-01,,,tuanjie\n"
        + "D2,10.00,10.00,2024-03-01,,,elder-lunches\n"  # a project's web address
        + f"D3,10.00,10.00,2024-03-01,,,{fund.code}\n"
        + "D4,10.00,10.00,2024-03-01,,,no-such-project\n"
    )
    batch = _upload(channel, finance, content)
    assert batch.errors == [
        {"row": 5, "field": "Designation (fund code)", "message": "no-such-project names no project or fund."}
    ]
    assert batch.error_rows == 1 and batch.valid_rows == 3
    assert batch.summary["by_designation"] == {fund.code: "20.00", "tuanjie": "10.00"}


def test_the_page_counts_rows_with_errors_not_messages(client, setup):
    channel, finance = setup
    # One row with three problems, one row with one.
    content = HEADER + "E1,abc,1,yesterday,,也许,nowhere\nE2,5.00,5.00,2024-03-01,,,nowhere\n"
    batch = _upload(channel, finance, content)
    assert len(batch.errors) == 5 and batch.error_rows == 2
    client.force_login(finance)
    page = client.get(f"/staff/fundraising/imports/{batch.pk}/")
    assert page.status_code == 200
    assert "2 rows: 0 to import, 0 already imported, 2 rows with errors." in page.content.decode()


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("是", True),
        ("否", False),
        ("是的", True),
        ("不", False),
        ("Y", True),
        ("n", False),
        ("TRUE", True),
        ("false", False),
        ("1", True),
        ("0", False),
        ("", False),
    ],
)
def test_yes_no_cells_map_as_the_preview_shows_them(setup, cell, shown, django_capture_on_commit_callbacks):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + f"Y1,10.00,10.00,2024-03-01,赵六,{cell},\n")
    assert batch.errors == []
    assert batch.preview[0]["show_name"] is shown and batch.preview[0]["show_name_cell"] == cell
    batch = _confirm(batch, django_capture_on_commit_callbacks, shown=importing.fingerprint(batch))
    assert Donation.objects.get(external_id="Y1").show_name is shown


def test_a_yes_no_cell_that_is_neither_is_a_row_error(client, setup):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + "Y1,10.00,10.00,2024-03-01,赵六,也许,\n")
    assert [(e["row"], e["field"]) for e in batch.errors] == [(2, "Name may be shown")]
    client.force_login(finance)
    assert "也许" in client.get(f"/staff/fundraising/imports/{batch.pk}/").content.decode()


def test_the_preview_shows_how_each_yes_no_cell_was_read(client, setup):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + ROWS)
    client.force_login(finance)
    html = client.get(f"/staff/fundraising/imports/{batch.pk}/").content.decode()
    assert "“是” → yes" in html and "“否” → no" in html


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ('F1,10.00,10.00,2024-03-01,=HYPERLINK("http://x"),,', "Donor name"),
        ("F1,10.00,10.00,2024-03-01,@SUM(A1:A9),,", "Donor name"),
        ("F1,10.00,10.00,2024-03-01,+cmd|' /C calc'!A0,,", "Donor name"),
        ("F1,10.00,10.00,2024-03-01,-2+3,,", "Donor name"),
        ("=1+1,10.00,10.00,2024-03-01,,,", "Transaction id"),
        ("F1,-1+2,10.00,2024-03-01,,,", "Amount"),
        ("F1,10.00,10.00,2024-03-01,,,=A1", "Designation (fund code)"),
    ],
)
def test_cells_a_spreadsheet_would_run_as_formulas_are_refused_at_their_row_and_field(setup, row, field):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + row + "\n")
    assert [(e["row"], e["field"]) for e in batch.errors] == [(2, field)]
    assert "formula" in batch.errors[0]["message"].lower()
    with pytest.raises(ValidationError):
        importing.import_confirm(batch=batch, by=finance)
    assert Donation.objects.count() == 0


def test_a_negative_amount_is_an_invalid_amount_not_a_formula(setup):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + 'N1,-5,1,2024-03-01,,,\nN2,"-1,200.00",1,2024-03-01,,,\n')
    assert [(e["row"], e["field"], e["message"]) for e in batch.errors] == [
        (2, "Amount", "The amount must be more than zero."),
        (3, "Amount", "The amount must be more than zero."),
    ]


@pytest.mark.parametrize("amount", ["1e2", "1E2", "Infinity", "NaN", "0x10", "12.345"])
def test_odd_number_notations_are_invalid_amounts(setup, amount):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + f"O1,{amount},1,2024-03-01,,,\n")
    assert [(e["row"], e["field"]) for e in batch.errors] == [(2, "Amount")]


def test_a_nul_in_the_donor_name_of_row_2001_fails_the_dry_run_at_that_row(setup):
    channel, finance = setup
    good = "".join(f"R{n:05d},{n % 90 + 10}.00,1,2024-03-01,捐赠人{n},否,\n" for n in range(2000))
    content = HEADER + good + "R99999,10.00,1,2024-03-01,坏\x00名字,否,\n"
    batch = _upload(channel, finance, content)
    assert batch.status == "preview"
    assert batch.valid_rows == 2000 and batch.error_rows == 1
    assert batch.errors == [
        {"row": 2002, "field": "Donor name", "message": "Control characters (such as NUL) are not accepted."}
    ]
    with pytest.raises(ValidationError, match="rows in error"):
        importing.import_confirm(batch=batch, by=finance)
    assert Donation.objects.count() == 0


# Background work ------------------------------------------------------------------------------------------


def test_a_confirm_task_that_raises_marks_the_batch_failed_with_the_reason(
    setup, monkeypatch, django_capture_on_commit_callbacks, client
):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + ROWS)

    def broken(*args, **kwargs):
        raise DataError("invalid byte sequence for encoding UTF8: 0x00")

    # The posting fails (both import paths take the fund rows through the ledger).
    monkeypatch.setattr(ledger, "lock_funds", broken)
    batch = _confirm(batch, django_capture_on_commit_callbacks, shown=importing.fingerprint(batch))
    assert batch.status == "failed"
    assert "DataError" in batch.message and "Nothing was imported" in batch.message
    assert Donation.objects.count() == 0
    client.force_login(finance)
    page = client.get("/staff/fundraising/imports/new/").content.decode()
    assert 'data-status="failed"' in page and "DataError" in page
    assert f"/staff/fundraising/imports/{batch.pk}/retry/" in page
    assert f"/staff/fundraising/imports/{batch.pk}/discard/" in page


def test_a_failed_batch_can_be_checked_again_and_confirmed(setup, django_capture_on_commit_callbacks, client):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + ROWS)
    ImportBatch.objects.filter(pk=batch.pk).update(status="failed", message="The worker stopped.")
    client.force_login(finance)
    response = client.post(f"/staff/fundraising/imports/{batch.pk}/retry/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "preview" and batch.message == "" and batch.valid_rows == 3
    page = client.get(f"/staff/fundraising/imports/{batch.pk}/").content.decode()
    assert importing.fingerprint(batch) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/fundraising/imports/{batch.pk}/confirm/", {"shown": importing.fingerprint(batch)}
        )
    assert response.status_code == 302
    assert ImportBatch.objects.get(pk=batch.pk).status == "done" and Donation.objects.count() == 3


def test_a_failed_batch_can_be_discarded_and_its_file_is_deleted(
    setup, django_capture_on_commit_callbacks, client
):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + ROWS)
    ImportBatch.objects.filter(pk=batch.pk).update(status="failed", message="The worker stopped.")
    storage, name = batch.file.storage, batch.file.name
    client.force_login(finance)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/fundraising/imports/{batch.pk}/discard/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "discarded" and not storage.exists(name)
    with pytest.raises(ValidationError):
        importing.import_confirm(batch=batch, by=finance)
    assert Donation.objects.count() == 0


def test_a_running_or_done_batch_cannot_be_discarded(setup):
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + ROWS)
    for status in ("running", "done"):
        ImportBatch.objects.filter(pk=batch.pk).update(status=status)
        with pytest.raises(ValidationError, match="cannot be discarded"):
            importing.import_discard(batch=batch, by=finance)
        assert ImportBatch.objects.get(pk=batch.pk).status == status


def _queue(batch, capture):
    """Confirmed, but the message to the worker was lost (the broker was down)."""
    with capture(execute=False):
        importing.import_confirm(batch=batch, by=batch.uploaded_by, shown=importing.fingerprint(batch))
    return ImportBatch.objects.get(pk=batch.pk)


def test_the_sweep_dispatches_a_stale_queued_batch_again(setup, django_capture_on_commit_callbacks):
    channel, finance = setup
    batch = _queue(_upload(channel, finance, HEADER + ROWS), django_capture_on_commit_callbacks)
    assert batch.status == "queued"
    # Fresh: left alone.
    assert importing.imports_sweep_stale()["redispatched"] == 0
    later = timezone.now() + datetime.timedelta(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        counts = importing.imports_sweep_stale(now=later)
    assert counts == {"redispatched": 1, "requeued": 0, "failed": 0}
    batch.refresh_from_db()
    assert batch.status == "done" and Donation.objects.count() == 3
    # Run again (a second delivery of the same message): nothing more.
    importing.import_run(batch.pk)
    assert Donation.objects.count() == 3


def test_the_sweep_fails_a_batch_queued_for_over_an_hour(setup, django_capture_on_commit_callbacks):
    channel, finance = setup
    batch = _queue(_upload(channel, finance, HEADER + ROWS), django_capture_on_commit_callbacks)
    later = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert importing.imports_sweep_stale(now=later)["failed"] == 1
    batch.refresh_from_db()
    assert batch.status == "failed" and "No worker started the import" in batch.message
    importing.import_run(batch.pk)  # the lost message arrives after all: the failed batch is left alone
    assert Donation.objects.count() == 0


def test_the_sweep_fails_a_batch_left_queued_before_queued_at_was_kept(
    setup, django_capture_on_commit_callbacks
):
    """The "Queued · 99%" batches of before: queued, no queued_at, uploaded long ago."""
    channel, finance = setup
    batch = _upload(channel, finance, HEADER + ROWS)
    ImportBatch.objects.filter(pk=batch.pk).update(status="queued", queued_at=None)
    later = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert importing.imports_sweep_stale(now=later)["failed"] == 1
    assert ImportBatch.objects.get(pk=batch.pk).status == "failed"


def test_the_sweep_requeues_a_batch_whose_worker_died_then_fails_it_after_three_attempts(
    setup, django_capture_on_commit_callbacks
):
    channel, finance = setup
    batch = _queue(_upload(channel, finance, HEADER + ROWS), django_capture_on_commit_callbacks)
    # A worker claimed it and died in the middle (its transaction rolled back: nothing written).
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="running", started_at=timezone.now() - datetime.timedelta(hours=3), attempts=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert importing.imports_sweep_stale()["requeued"] == 1
    batch.refresh_from_db()
    assert batch.status == "done" and Donation.objects.count() == 3 and batch.attempts == 2

    again = _queue(
        _upload(channel, finance, HEADER + "Q1,1.00,1,2024-03-01,,,\n", name="b.csv"),
        django_capture_on_commit_callbacks,
    )
    ImportBatch.objects.filter(pk=again.pk).update(
        status="running", started_at=timezone.now() - datetime.timedelta(hours=3), attempts=3
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert importing.imports_sweep_stale()["failed"] == 1
    again.refresh_from_db()
    assert again.status == "failed" and "tried 3 times" in again.message
    assert Donation.objects.count() == 3


def test_the_sweep_is_a_beat_job():
    from django.conf import settings

    jobs = {job["task"]: job["schedule"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert jobs["fundraising.tasks.sweep_stale_imports"] <= 300


def test_the_import_screen_shows_each_batch_state(setup, client, django_capture_on_commit_callbacks):
    channel, finance = setup
    queued = _queue(_upload(channel, finance, HEADER + ROWS), django_capture_on_commit_callbacks)
    running = _upload(
        channel, finance, HEADER + "Z1,1.00,1,2024-03-01,,,\nZ2,1.00,1,2024-03-01,,,\n", name="r.csv"
    )
    ImportBatch.objects.filter(pk=running.pk).update(status="running", started_at=timezone.now())
    from django.core.cache import cache

    cache.set(importing.progress_key(running.pk), 1, 60)
    client.force_login(finance)
    page = client.get("/staff/fundraising/imports/new/").content.decode()
    assert 'data-status="queued"' in page and 'data-status="running"' in page
    assert "Importing · 50%" in page
    progress = client.get(f"/staff/fundraising/imports/{queued.pk}/progress/").content.decode()
    assert "waiting for a background worker" in progress and "hx-get" in progress
    assert Channel.objects.count() >= 1


def test_excel_formula_cells_and_boolean_cells(setup, django_capture_on_commit_callbacks):
    import io

    from openpyxl import Workbook

    channel, finance = setup
    wb = Workbook()
    ws = wb.active
    ws.append(["流水号", "实收金额", "到账金额", "日期", "捐赠人", "是否公开", "项目编号"])
    ws.append(["X1", 10.5, 10, datetime.date(2024, 3, 1), "钱七", True, "tuanjie"])
    ws.append(["X2", 20, 20, datetime.date(2024, 3, 1), "孙八", False, None])
    ws.append(["X3", "=B2*100", 1, datetime.date(2024, 3, 1), "", None, None])
    out = io.BytesIO()
    wb.save(out)
    batch = _upload(channel, finance, out.getvalue(), name="bank.xlsx")
    assert [(e["row"], e["field"]) for e in batch.errors] == [(4, "Amount")]
    assert [(r["row"], r["show_name"]) for r in batch.preview] == [(2, True), (3, False)]
    # Without the formula row, the workbook imports with the names shown as previewed.
    ws.delete_rows(4)
    out = io.BytesIO()
    wb.save(out)
    batch = _upload(channel, finance, out.getvalue(), name="bank2.xlsx")
    batch = _confirm(batch, django_capture_on_commit_callbacks, shown=importing.fingerprint(batch))
    assert batch.status == "done", batch.message
    assert dict(Donation.objects.values_list("external_id", "show_name")) == {"X1": True, "X2": False}
    assert Donation.objects.get(external_id="X1").amount == Decimal("10.50")
