"""The donation import on PostgreSQL, sized for files of a million rows.

The rows, parsed in Python (fundraising.importing.RowParser, one reading for every database), go by COPY
into a temporary staging table. The checks that look across rows are set operations in SQL: a transaction
id that appears twice in the file, rows already imported (channel and external id), receipt numbers already
used. The dry run keeps its parsed rows (an unlogged table per batch) for the run, which checks them again
against the database without reading the file again, as long as nothing the parsing depended on changed
(the file, the mapping, the designations, the closed months, the day). The dry run's summary (counts, total, sum per designation, the digest of the rows to import) is
computed by the database from the staged rows, and its preview and error list are read back in row order.

Posting is set-based too: every donation, its history row, its ledger transaction and its two entries are
inserted by INSERT ... SELECT from the staging table, and the monthly totals and fund balances are each one
statement. The rows they refer to (channel, batch, user, accounts, funds, content type) are checked and
locked once for all the rows, so the per-row foreign-key triggers are left out of those inserts where the
database allows it (`_skip_row_checks`).

Locks: staging and checking write only to temporary tables (dropped at commit), so they hold no ledger
lock; donations recorded meanwhile (notifications, the admin) go through. A file of up to
`chain_inline_rows()` rows is posted as any posting is: the fund rows and the chain head taken first and
held until commit, its entries hashed into the chain in one streaming pass (in Python over a server-side
cursor, sent back by COPY, never building a model). A larger file writes everything, entries included,
without any ledger lock, its entries unchained; it takes the fund rows and the chain head only for its last
statements (the month-closed check, balances and kept totals: a few hundred rows), so notifications and
other postings go on being recorded while it runs. Its entries are chained after it commits, a chunk per
transaction (`ledger.chain_pending`, by the worker).
"""

# The only names this module puts into SQL text are its own table names and the models' tables.
# ruff: noqa: S608

import hashlib
import json
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from empowerment import freshness

from . import ledger
from .fundmonths import FUNDER_KIND_ANONYMOUS
from .models import (
    Account,
    Channel,
    Donation,
    Fund,
    FundBalance,
    ImportBatch,
    LedgerAccountMonth,
    LedgerEntry,
    LedgerFundMonth,
    LedgerMonthTotal,
    LedgerTransaction,
)

RAW = "fundraising_import_raw"
KEPT_PREFIX = "fundraising_import_kept_"
STAGE = "fundraising_import_stage"
ENTRIES = "fundraising_import_entries"
# The rows `post` writes: those `check` found to import, each with its donation's and transaction's ids.
VALID = f"{STAGE} WHERE state = 'v'"
# A posted donation's ledger memo (the channel's name and the caller's suffix are its two parameters).
MEMO = "left('Donation ' || receipt_number || ' via ' || %s || %s, 255)"
# Rows read back per round trip (the digest, the posting pass).
CHUNK = 20_000
# Rows of a large file written per statement.
PART_ROWS = 50_000
# The checks sort and hash a million rows; let them do it in memory rather than on disk.
WORK_MEM = "128MB"


def available() -> bool:
    return connection.vendor == "postgresql"


def chain_inline_rows() -> int:
    """Files up to this many rows are chained inside the import's transaction; larger ones after it."""
    return getattr(settings, "FUNDRAISING_IMPORT_CHAIN_INLINE_ROWS", 10_000)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


# Staging and checking ------------------------------------------------------------------------------------


def kept_table(batch_id: int) -> str:
    """The table holding a dry run's parsed rows for its batch's run (see `load`)."""
    return f"{KEPT_PREFIX}{int(batch_id)}"


def load(results: Iterable, *, keep_for: int | None = None, stamp: str = "") -> int:
    """COPY parsed rows (RowResult: number, values, errors) into a new staging table, dropped at the end
    of the current transaction (call inside one). Returns the number of rows.

    With `keep_for` (a batch id: the dry run), the rows go instead into an unlogged table kept after
    commit, marked with `stamp` (what the parsing depended on), so that the batch's run checks them again
    against the database without reading and parsing the file again (`kept`). It is dropped by the run, the
    discard and the sweep (`forget`, `sweep_kept`)."""
    count = 0
    table = kept_table(keep_for) if keep_for is not None else RAW
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(f"DROP TABLE IF EXISTS {RAW}")
        if keep_for is not None:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"""CREATE {"UNLOGGED" if keep_for is not None else "TEMP"} TABLE {table} (
                n integer NOT NULL,
                external_id text NOT NULL,
                receipt_number text NOT NULL,
                amount numeric(14, 2),
                received_on date,
                donor_name text NOT NULL,
                show_name boolean NOT NULL,
                show_name_cell text NOT NULL,
                fund_id integer,
                note text NOT NULL,
                id_ok boolean NOT NULL,
                errors text
            ) {"" if keep_for is not None else "ON COMMIT DROP"}"""
        )
        if keep_for is not None:
            mark = json.dumps({"stamp": stamp, "at": timezone.now().isoformat()})
            cursor.execute(f"COMMENT ON TABLE {table} IS %s", [mark])
        with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
            write = copy.write_row
            for r in results:
                v, errors = r.values, r.errors
                fund = v.get("fund")
                write(
                    (
                        r.number,
                        v["external_id"],
                        v["receipt_number"],
                        v.get("amount"),
                        v.get("date"),
                        v["donor_name"],
                        v["show_name"],
                        v["show_name_cell"],
                        fund.pk if fund is not None else None,
                        v["note"],
                        # The id takes part in finding ids that appear twice only when the id itself is sound
                        # (RowParser's own rule when it tracks them).
                        bool(v["external_id"])
                        and not (errors and any(f == "external_id" for f, _m in errors)),
                        json.dumps(errors, ensure_ascii=False) if errors else None,
                    )
                )
                count += 1
    return count


def _mark(comment: str | None) -> dict:
    try:
        mark = json.loads(comment or "")
    except ValueError:
        return {}
    return mark if isinstance(mark, dict) else {}


def kept(batch_id: int, stamp: str, rows: int) -> str | None:
    """The name of the rows a batch's dry run kept, if they are there, all `rows` of them (an unlogged
    table is emptied by a database crash), and were parsed under the same `stamp`; None otherwise (the
    caller reads the file again)."""
    table = kept_table(batch_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(to_regclass(%s), 'pg_class')", [table])
        row = cursor.fetchone()
        if not row or _mark(row[0]).get("stamp") != stamp:
            return None
        cursor.execute(f"SELECT count(*) FROM {table}")
        return table if cursor.fetchone()[0] == rows else None


def forget(batch_id: int, *, wait: bool = True) -> bool:
    """Drop the rows a batch's dry run kept (with the current transaction). With `wait=False` (the sweep),
    rows a run is reading are left alone: False then."""
    with connection.cursor() as cursor:
        if not wait:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
        try:
            with transaction.atomic():
                cursor.execute(f"DROP TABLE IF EXISTS {kept_table(batch_id)}")
        except DatabaseError:
            if wait:
                raise
            return False
    return True


def kept_batches() -> dict[int, str]:
    """The batches whose dry run's rows are kept, each with when (ISO time; '' if unknown)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT relname, obj_description(oid, 'pg_class') FROM pg_class
            WHERE relkind = 'r' AND relpersistence = 'u' AND relname LIKE %s""",
            [KEPT_PREFIX.replace("_", r"\_") + "%"],
        )
        rows = cursor.fetchall()
    return {
        int(name[len(KEPT_PREFIX) :]): str(_mark(comment).get("at") or "")
        for name, comment in rows
        if name[len(KEPT_PREFIX) :].isdigit()
    }


def check(channel_id: int, *, source: str = RAW, ids: bool = False) -> None:
    """Classify every staged row (of `source`: the rows just loaded, or a dry run's kept rows) as already
    imported ('d'), in error ('e') or to import ('v'), with the checks across rows: an id met earlier in the
    file, an id or a receipt number the channel already has.

    With `ids` (the run, before `post`), each row to import also takes its donation's and its ledger
    transaction's ids from their sequences, in row order, here rather than in a copy of the rows (before
    any ledger lock: `verification.tx_floor` covers ids taken early)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        # No JIT for the rest of the import's transaction: the classification's estimated cost (a probe per
        # row) makes the planner compile it with inlining and optimisation, which took longer than it saved.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}, {ENTRIES}")
        params = {"channel": channel_id}
        classified = f"""SELECT r.*,
                CASE
                    WHEN r.external_id <> '' AND EXISTS (
                        SELECT 1 FROM fundraising_donation d
                        WHERE d.channel_id = %(channel)s AND d.external_id = r.external_id AND d.external_id <> ''
                    ) THEN 'd'
                    WHEN r.errors IS NOT NULL OR r.twice OR r.receipt_used THEN 'e'
                    ELSE 'v'
                END AS state
            FROM (
                SELECT raw.*,
                    raw.id_ok AND row_number() OVER (PARTITION BY raw.id_ok, raw.external_id ORDER BY raw.n) > 1
                        AS twice,
                    EXISTS (
                        SELECT 1 FROM fundraising_donation d
                        WHERE d.channel_id = %(channel)s AND d.receipt_number = raw.receipt_number
                    ) AS receipt_used
                FROM {source} raw
            ) r"""
        if ids:
            # The sequences named once (pg_get_serial_sequence for each row was most of such a statement);
            # the ids taken after the rows are sorted, so in row order.
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, 'id'), pg_get_serial_sequence(%s, 'id')",
                [Donation._meta.db_table, LedgerTransaction._meta.db_table],
            )
            params["donations"], params["transactions"] = cursor.fetchone()
            classified = f"""SELECT c.*,
                    CASE WHEN c.state = 'v' THEN nextval(%(donations)s::regclass) END AS donation_id,
                    CASE WHEN c.state = 'v' THEN nextval(%(transactions)s::regclass) END AS tx_id
                FROM ({classified} ORDER BY r.n) c"""
        cursor.execute(f"CREATE TEMP TABLE {STAGE} ON COMMIT DROP AS {classified}", params)
        cursor.execute(f"ANALYZE {STAGE}")


def summary() -> dict:
    """What importing.Tally gives for the same rows: counts, total and sums per designation of the rows to
    import, and the SHA-256 of their values in row order (the same bytes Tally hashes)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE state = 'v'), count(*) FILTER (WHERE state = 'd'),
                count(*) FILTER (WHERE state = 'e'), coalesce(sum(amount) FILTER (WHERE state = 'v'), 0.00)::text
            FROM {STAGE}"""
        )
        rows, valid, duplicates, error_rows, total = cursor.fetchone()
        cursor.execute(
            # Summed per fund first: the join then meets one row per fund, not one per row (codes are unique).
            f"""SELECT f.code, t.total::text
            FROM (SELECT fund_id, sum(amount) AS total FROM {VALID} GROUP BY fund_id) t
            JOIN fundraising_fund f ON f.id = t.fund_id"""
        )
        by_designation = dict(cursor.fetchall())
    digest = hashlib.sha256()
    # Read a block at a time over a server-side cursor: a client cursor would hold the whole result.
    with connection.connection.cursor(name=f"{STAGE}_digest") as blocks:
        blocks.execute(
            f"""SELECT string_agg(
                    concat_ws(E'\\x1f', s.n::text, s.external_id, s.receipt_number, s.amount::text,
                        to_char(s.received_on, 'YYYY-MM-DD'), s.donor_name,
                        CASE WHEN s.show_name THEN '1' ELSE '0' END, f.code, s.note) || E'\\x1e',
                    '' ORDER BY s.n)
            FROM {STAGE} s JOIN fundraising_fund f ON f.id = s.fund_id
            WHERE s.state = 'v' GROUP BY s.n / {int(CHUNK)} ORDER BY s.n / {int(CHUNK)}"""
        )
        while row := blocks.fetchone():
            digest.update(row[0].encode("utf-8"))
    return {
        "rows": rows,
        "valid": valid,
        "duplicates": duplicates,
        "error_rows": error_rows,
        "total": total,
        "by_designation": dict(sorted(by_designation.items())),
        "rows_sha256": digest.hexdigest(),
    }


def preview(limit: int) -> list[dict]:
    """The first `limit` rows to import, as importing shows them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT s.n, s.external_id, s.receipt_number, s.amount::text, to_char(s.received_on, 'YYYY-MM-DD'),
                s.donor_name, s.show_name, s.show_name_cell, f.name, f.code
            FROM (SELECT * FROM {VALID} ORDER BY n LIMIT %s) s JOIN fundraising_fund f ON f.id = s.fund_id
            ORDER BY s.n""",
            [limit],
        )
        keys = [
            "row",
            "external_id",
            "receipt_number",
            "amount",
            "date",
            "donor_name",
            "show_name",
            "show_name_cell",
            "fund",
            "fund_code",
        ]
        return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def row_errors(limit: int) -> list[tuple[int, list[tuple[str, str]]]]:
    """The first `limit` rows in error, in row order: (row number, [(field, message), ...])."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT n, errors, twice, receipt_used, receipt_number FROM {STAGE}
            WHERE state = 'e' ORDER BY n LIMIT %s""",
            [limit],
        )
        out = []
        for n, errors, twice, receipt_used, receipt_number in cursor.fetchall():
            found = [tuple(e) for e in json.loads(errors)] if errors else []
            if twice:
                found.append(("external_id", _("The transaction id appears twice in the file.")))
            if receipt_used:
                found.append(
                    ("receipt_number", _("Receipt number %(n)s is already used.") % {"n": receipt_number})
                )
            out.append((n, found))
        return out


# Posting -------------------------------------------------------------------------------------------------


def _insert_select(cursor, model: type[Model], exprs: dict, source: str) -> int:
    """INSERT INTO the model's table one row per row of `source`: each column from `exprs` (attname → SQL
    over the source's columns, or (SQL, value, ...) with the SQL's parameters, e.g. ("%s", value) for one
    value for all rows; None leaves the column to the
    database's default, i.e. its sequence); any other column gets its field's default, as a model would."""
    columns, selects, params = [], [], []
    for f in model._meta.concrete_fields:
        expr = exprs.get(f.attname, f)
        if expr is None:
            continue
        if expr is f:
            if not f.has_default() and not f.null:
                raise ImproperlyConfigured(
                    f"{model.__name__}.{f.name}: no value for the bulk import to write"
                )
            selects.append("%s")
            params.append(f.get_db_prep_save(f.get_default(), connection))
        elif isinstance(expr, tuple):
            selects.append(expr[0])
            params.extend(f.get_db_prep_save(value, connection) for value in expr[1:])
        else:
            selects.append(expr)
        columns.append(_quote(f.column))
    cursor.execute(
        f"INSERT INTO {_quote(model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(selects)} FROM {source}",
        params,
    )
    return cursor.rowcount


def _lock_and_check_open(cursor, fund_ids: list[int]):
    """Take the fund rows and then the chain head (the ledger's order) and refuse rows dated in a month closed
    since they were checked (closing takes the chain head, so none closes from now until commit)."""
    ledger.lock_funds(fund_ids)
    chain = ledger._lock_chain()
    last_closed = ledger.closed_through()
    if last_closed:
        cursor.execute(f"SELECT min(received_on) FROM {STAGE} WHERE state = 'v'")
        first = cursor.fetchone()[0]
        if first < ledger._next_month(last_closed):
            raise ValidationError(
                _("%(month)s is closed: post the correction with a date in an open month.")
                % {"month": first.strftime("%Y-%m")},
                code="closed",
            )
    return chain


def _hold_references(cursor, refers: dict[type[Model], list[int]]) -> None:
    """Take the lock each foreign-key check of the posted rows would take (KEY SHARE: none of these rows can
    be deleted, nor its key changed, until commit; updates and other inserts go on) on every row they refer
    to, a few dozen rows in all, and refuse the import if one of them is gone."""
    for model, ids in refers.items():
        wanted = sorted(set(ids))
        if not wanted:
            continue
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {_quote(model._meta.db_table)} WHERE id = ANY(%s) "
            "ORDER BY id FOR KEY SHARE) held",
            [wanted],
        )
        if cursor.fetchone()[0] != len(wanted):
            raise ValidationError(
                _(
                    "Something the file's rows refer to (%(what)s) was deleted meanwhile: check the file again."
                )
                % {"what": model._meta.verbose_name},
                code="gone",
            )


def _skip_row_checks(cursor) -> bool:
    """Leave out the per-row foreign-key triggers of the bulk inserts for the rest of the transaction (or
    until `_restore_row_checks`), if the database lets this session do so: they check, a row at a time,
    references that `_hold_references` checked and locked once for all the rows (or rows this transaction
    has just inserted), and they were half of a large file's posting time. Unique, check and not-null
    constraints are indexes and column rules, not triggers, and still hold. A session without the right
    (not a superuser and not granted SET on session_replication_role) keeps the triggers."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def _restore_row_checks(cursor) -> None:
    cursor.execute("SET LOCAL session_replication_role = origin")


def post(*, batch, by, memo_suffix: str = "", progress: Callable[[int], None] | None = None) -> int:
    """Post every staged row to import (after `check` with `ids`): donations, their history rows, one ledger
    transaction each with its two entries, monthly totals and fund balances, as services.
    donations_record_bulk and the ledger's posting would write them. A file of up to `chain_inline_rows()`
    rows takes the fund rows and the chain head first and chains its entries; a larger one takes them only
    for its last statements and leaves its entries to be chained after commit (see the module's text).
    Returns how many donations were written."""
    channel = batch.channel
    cash, income = ledger.cash_account(), ledger.income_account(channel)
    source_type = ContentType.objects.get_for_model(Donation).pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = %s::regclass AND attname IN ('donation_id', 'tx_id')",
            [STAGE],
        )
        if cursor.fetchone()[0] != 2:
            raise ImproperlyConfigured(
                "staging.post needs the rows checked with their ids (check(..., ids=True))"
            )
        cursor.execute(f"SELECT array_agg(DISTINCT fund_id), count(*) FROM {VALID}")
        fund_ids, rows = cursor.fetchone()
        if not rows:
            return 0
        inline = rows <= chain_inline_rows()
        if inline:
            chain = _lock_and_check_open(cursor, fund_ids)
        now = timezone.now()
        user_id = getattr(by, "pk", None)
        donation = {
            "id": "donation_id",
            "channel_id": ("%s", channel.pk),
            "receipt_number": "receipt_number",
            "external_id": "external_id",
            "donor_name": "donor_name",
            "show_name": "show_name",
            "amount": "amount",
            "received_on": "received_on",
            "fund_id": "fund_id",
            "import_batch_id": ("%s", batch.pk),
            "note": "note",
            "ledger_transaction_id": "tx_id",
            "recorded_by_id": ("%s", user_id),
            "created_at": ("%s", now),
        }
        historical = Donation.history.model

        def write(where: str) -> int:
            """The transactions, donations and history rows of the posted rows matching `where`."""
            source = f"{VALID} AND {where} ORDER BY n"
            _insert_select(
                cursor,
                LedgerTransaction,
                {
                    "id": "tx_id",
                    "date": "received_on",
                    "memo": (MEMO, channel.name, memo_suffix),
                    "kind": ("%s", LedgerTransaction.Kind.DONATION),
                    "source_type_id": ("%s", source_type),
                    "source_id": "donation_id::text",
                    "created_by_id": ("%s", user_id),
                    "created_at": ("%s", now),
                },
                source,
            )
            written = _insert_select(cursor, Donation, donation, source)
            _insert_select(
                cursor,
                historical,
                {
                    **donation,
                    historical._meta.pk.attname: None,
                    "history_date": ("%s", now),
                    "history_change_reason": ("%s", None),
                    "history_type": ("%s", "+"),
                    "history_user_id": ("%s", user_id),
                },
                source,
            )
            return written

        _hold_references(
            cursor,
            {
                Channel: [channel.pk],
                ImportBatch: [batch.pk],
                ContentType: [source_type],
                Account: [cash.pk, income.pk],
                Fund: fund_ids,
                get_user_model(): [user_id] if user_id is not None else [],
            },
        )
        skipped = _skip_row_checks(cursor)
        if inline:
            write("true")
            seq, prev = _post_entries(
                cursor, chain, cash, income, source_type, (channel.name, memo_suffix), progress
            )
        else:
            # A part of the file per statement, each statement's foreign keys checked as it ends (not all at
            # commit): a fund row that notifications update meanwhile then keeps few versions to look
            # through, and the commit, under the locks, has nothing left to check.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"CREATE INDEX ON {STAGE} (n)")
            cursor.execute(f"SELECT min(n), max(n) FROM {VALID}")
            first, last = cursor.fetchone()
            done = 0
            for part in range(first, last + 1, PART_ROWS):
                where = f"n >= {int(part)} AND n < {int(part + PART_ROWS)}"
                done += write(where)
                _post_unchained_entries(cursor, cash, income, where)
                if progress is not None:
                    progress(done)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            chain = _lock_and_check_open(cursor, fund_ids)
        if skipped:  # the month totals and balances below, and the rest of the transaction, keep them
            _restore_row_checks(cursor)
        cursor.execute(
            f"""WITH m AS (
                SELECT fund_id, date_trunc('month', received_on)::date AS month, sum(amount) AS total,
                    count(*) AS n
                FROM {VALID} GROUP BY 1, 2
            )
            INSERT INTO {_quote(LedgerMonthTotal._meta.db_table)} AS t (account_id, fund_id, month, amount, entries)
            SELECT %s, fund_id, month, total, n FROM m UNION ALL SELECT %s, fund_id, month, -total, n FROM m
            ON CONFLICT (account_id, fund_id, month)
            DO UPDATE SET amount = t.amount + EXCLUDED.amount, entries = t.entries + EXCLUDED.entries""",
            [cash.pk, income.pk],
        )
        cursor.execute(
            f"""WITH m AS (
                SELECT date_trunc('month', received_on)::date AS month, sum(amount) AS total, count(*) AS n
                FROM {VALID} GROUP BY 1
            )
            INSERT INTO {_quote(LedgerAccountMonth._meta.db_table)} AS t (account_id, month, amount, entries)
            SELECT %s, month, total, n FROM m UNION ALL SELECT %s, month, -total, n FROM m
            ON CONFLICT (account_id, month)
            DO UPDATE SET amount = t.amount + EXCLUDED.amount, entries = t.entries + EXCLUDED.entries""",
            [cash.pk, income.pk],
        )
        donation_kind = LedgerTransaction.Kind.DONATION.value
        # The funds' monthly figures (fundmonths): imported gifts name no funder, so they count as anonymous.
        cursor.execute(
            f"""WITH m AS (
                SELECT fund_id, date_trunc('month', received_on)::date AS month, sum(amount) AS total,
                    count(*) AS n
                FROM {VALID} GROUP BY 1, 2
            )
            INSERT INTO {_quote(LedgerFundMonth._meta.db_table)} AS t
                (fund_id, account_id, month, kind, reverses_kind, positive, funder_kind, amount, entries)
            SELECT fund_id, %s, month, %s, '', true, %s, total, n FROM m
            UNION ALL SELECT fund_id, %s, month, %s, '', false, %s, -total, n FROM m
            ON CONFLICT (fund_id, account_id, month, kind, reverses_kind, positive, funder_kind)
            DO UPDATE SET amount = t.amount + EXCLUDED.amount, entries = t.entries + EXCLUDED.entries""",
            [cash.pk, donation_kind, FUNDER_KIND_ANONYMOUS, income.pk, donation_kind, FUNDER_KIND_ANONYMOUS],
        )
        # Only the bank account is a balance account: each donation adds its amount to its fund.
        cursor.execute(
            f"""INSERT INTO {_quote(FundBalance._meta.db_table)} AS b (fund_id, amount)
            SELECT fund_id, sum(amount) FROM {VALID} GROUP BY fund_id ORDER BY fund_id
            ON CONFLICT (fund_id) DO UPDATE SET amount = b.amount + EXCLUDED.amount"""
        )
        if inline:
            cursor.execute(
                "UPDATE fundraising_ledgerchain SET last_seq = %s, last_hash = %s WHERE id = %s",
                [seq, prev, chain.pk],
            )
        else:
            # The worker chains the entries once they are committed (the task takes no lock it need not).
            transaction.on_commit(_dispatch_chaining)
        created = rows
    freshness.money_changed(fund_ids)
    return created


def _dispatch_chaining() -> None:
    from .tasks import chain_ledger  # noqa: PLC0415 - tasks import the services that import this module

    chain_ledger.delay()


def _post_unchained_entries(cursor, cash, income, where: str) -> None:
    """The two entries of each posted row matching `where` (bank debit, income credit) without their place in
    the chain, in row order, so that `ledger.chain_pending` chains them in the order the file gave them."""
    cursor.execute(
        f"""INSERT INTO {_quote(LedgerEntry._meta.db_table)} (transaction_id, account_id, fund_id, amount)
        SELECT tx_id, a.account_id, fund_id, a.sign * amount
        FROM {STAGE} CROSS JOIN (VALUES (1, %s::bigint, 1), (2, %s::bigint, -1)) AS a (line, account_id, sign)
        WHERE state = 'v' AND {where}
        ORDER BY n, a.line""",
        [cash.pk, income.pk],
    )


ENTRY_COLUMNS = ["transaction_id", "account_id", "fund_id", "amount", "seq", "prev_hash", "hash"]


def _post_entries(cursor, chain, cash, income, source_type: int, memo: tuple, progress) -> tuple[int, str]:
    """The two entries of each posted row (bank debit, income credit), chained from the chain head in row
    order: hashed as ledger.entry_hash hashes them, read over a server-side cursor and written by COPY a
    chunk at a time (memory stays flat whatever the number of rows) into a temporary table, then inserted
    into the ledger in the order of their hashes. The unique index on the hash is the one index whose keys
    are random: fed in key order, it is extended page after page instead of at a random page per entry
    (measured at province: most of the posting's time went there)."""
    columns = [f.column for f in LedgerEntry._meta.concrete_fields if not f.primary_key]
    if columns != ENTRY_COLUMNS:
        raise ImproperlyConfigured(
            f"LedgerEntry has columns {columns}; the bulk import writes {ENTRY_COLUMNS}"
        )
    seq, prev = chain.last_seq, chain.last_hash
    kind, tail = LedgerTransaction.Kind.DONATION.value, str(source_type)
    cash_code, income_code, cash_id, income_id = cash.code, income.code, str(cash.pk), str(income.pk)
    sha256 = hashlib.sha256
    cursor.execute(
        f"""CREATE TEMP TABLE {ENTRIES} (transaction_id bigint, account_id bigint, fund_id bigint,
            amount numeric(14, 2), seq bigint, prev_hash varchar(64), hash varchar(64)) ON COMMIT DROP"""
    )
    copy_sql = f"COPY {ENTRIES} ({', '.join(ENTRY_COLUMNS)}) FROM STDIN"
    done = 0
    with connection.connection.cursor(name=f"{STAGE}_entries") as rows:
        rows.execute(
            f"""SELECT tx_id::text, to_char(received_on, 'YYYY-MM-DD'), {MEMO}, donation_id::text, fund_id::text,
                amount::text
            FROM {VALID} ORDER BY n""",
            list(memo),
        )
        while chunk := rows.fetchmany(CHUNK):
            lines = []
            for tx, day, memo, donation_id, fund, amount in chunk:
                # ledger.entry_hash: seq, transaction, date, kind, memo, reverses, source type and id,
                # account code, fund, amount, previous hash.
                head = f"{tx}|{day}|{kind}|{memo}||{tail}|{donation_id}|"
                seq += 1
                digest = sha256(f"{seq}|{head}{cash_code}|{fund}|{amount}|{prev}".encode()).hexdigest()
                lines.append(f"{tx}\t{cash_id}\t{fund}\t{amount}\t{seq}\t{prev}\t{digest}\n")
                prev = digest
                seq += 1
                digest = sha256(f"{seq}|{head}{income_code}|{fund}|-{amount}|{prev}".encode()).hexdigest()
                lines.append(f"{tx}\t{income_id}\t{fund}\t-{amount}\t{seq}\t{prev}\t{digest}\n")
                prev = digest
            with cursor.cursor.copy(copy_sql) as copy:
                copy.write("".join(lines))
            done += len(chunk)
            if progress is not None:
                progress(done)
    columns = ", ".join(ENTRY_COLUMNS)
    cursor.execute(
        f"INSERT INTO {_quote(LedgerEntry._meta.db_table)} ({columns}) SELECT {columns} FROM {ENTRIES} ORDER BY hash"
    )
    return seq, prev
