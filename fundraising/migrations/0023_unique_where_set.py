"""Unique indexes that leave out the rows without a value: an entry's hash (set when it is chained), a
transaction's reversed transaction and a donation's grant tranche. A large import writes millions of rows
with none of them; each was an index entry (about half a microsecond each, a second per two million)."""

from django.db import migrations, models

from empowerment.migration_operations import OnPostgreSQLOnlyDatabaseOperations

WHERE_SET = [
    ("fundraising_ledgertransaction", "reverses_id", "fundraising_ledgertransaction_reverses_id_key"),
    ("fundraising_donation", "grant_tranche_id", "fundraising_donation_grant_tranche_id_key"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("fundraising", "0022_bulk_write_indexes"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="ledgerentry", name="fundraising_ledgerentry_hash_key"),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(hash__isnull=False),
                fields=("hash",),
                name="fundraising_ledgerentry_hash_key",
            ),
        ),
        # The two one-to-one fields stay unique in Django's state; on PostgreSQL their unique constraint
        # becomes a partial unique index of the same name (NULLs never conflicted anyway).
        OnPostgreSQLOnlyDatabaseOperations(
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        statement
                        for table, column, name in WHERE_SET
                        for statement in (
                            f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"',
                            f'CREATE UNIQUE INDEX "{name}" ON "{table}" ("{column}") WHERE "{column}" IS NOT NULL',
                        )
                    ],
                    reverse_sql=[
                        statement
                        for table, column, name in WHERE_SET
                        for statement in (
                            f'DROP INDEX "{name}"',
                            f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" UNIQUE ("{column}")',
                        )
                    ],
                ),
            ],
        ),
    ]
