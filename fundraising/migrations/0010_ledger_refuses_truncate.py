"""On PostgreSQL the database also refuses TRUNCATE of the ledger (entries, transactions and the hash chain):
a row trigger does not see TRUNCATE, so 0002's append-only trigger let it empty the books at once.

The one way past it is a deliberate session setting, `SET empowerment.allow_ledger_truncate = 'on'`: the test
suite's own database sets it (tests/conftest.py), since Django empties tables between transactional tests with
TRUNCATE. A production database never does. (SQLite, the embedded default, has no TRUNCATE.)"""

from django.db import migrations

TABLES = ("fundraising_ledgerentry", "fundraising_ledgertransaction", "fundraising_ledgerchain")

INSTALL = """
CREATE OR REPLACE FUNCTION fundraising_ledger_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('empowerment.allow_ledger_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the ledger is append-only: TRUNCATE on % is refused; post a reversing transaction',
        TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION fundraising_ledger_no_truncate();
"""
    for table in TABLES
)

REMOVE = "".join(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS fundraising_ledger_no_truncate();\n"
)


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("fundraising", "0009_ledger_transaction_occurred_on")]

    operations = [migrations.RunPython(install, remove)]
