"""On PostgreSQL, the monthly totals' index on the fund carries each row's account and amount
(INCLUDE), so a fund's all-time figures (a project's money in the public project list, its page, its
organization's page) are summed from the index alone instead of from one lookup per account and a visit to
each row. The posting service adds to a few rows per batch, so the index costs it little. Other databases
keep the plain index on the fund."""

from django.db import migrations

from empowerment.migration_operations import OnPostgreSQLOnlyDatabaseOperations

PLAIN = "fundraising_ledgermonthtotal_fund_id_59e59dc7"
COVERING = "ledger_month_total_fund_covering"
TABLE = "fundraising_ledgermonthtotal"


class Migration(migrations.Migration):
    dependencies = [("fundraising", "0026_campaign_gifts_newest_first")]

    operations = [
        OnPostgreSQLOnlyDatabaseOperations(
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        f'CREATE INDEX "{COVERING}" ON "{TABLE}" ("fund_id") INCLUDE ("account_id", "amount")',
                        f'DROP INDEX IF EXISTS "{PLAIN}"',
                    ],
                    reverse_sql=[
                        f'CREATE INDEX "{PLAIN}" ON "{TABLE}" ("fund_id")',
                        f'DROP INDEX IF EXISTS "{COVERING}"',
                    ],
                ),
            ],
            state_operations=[],
        ),
    ]
