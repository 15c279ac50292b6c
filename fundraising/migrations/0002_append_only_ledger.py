"""On PostgreSQL the database itself refuses to update or delete ledger entries and transactions.
(SQLite, the embedded default, relies on the services and the admin, which never do.)"""

from django.db import migrations

INSTALL = """
CREATE OR REPLACE FUNCTION fundraising_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % is refused; post a reversing transaction', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS fundraising_ledgerentry_append_only ON fundraising_ledgerentry;
CREATE TRIGGER fundraising_ledgerentry_append_only BEFORE UPDATE OR DELETE ON fundraising_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION fundraising_ledger_append_only();
DROP TRIGGER IF EXISTS fundraising_ledgertransaction_append_only ON fundraising_ledgertransaction;
CREATE TRIGGER fundraising_ledgertransaction_append_only BEFORE UPDATE OR DELETE ON fundraising_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION fundraising_ledger_append_only();
"""

REMOVE = """
DROP TRIGGER IF EXISTS fundraising_ledgerentry_append_only ON fundraising_ledgerentry;
DROP TRIGGER IF EXISTS fundraising_ledgertransaction_append_only ON fundraising_ledgertransaction;
DROP FUNCTION IF EXISTS fundraising_ledger_append_only();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("fundraising", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
