from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fundraising", "0008_ledger_checkpoints"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgertransaction",
            name="occurred_on",
            field=models.DateField(
                blank=True,
                help_text=(
                    "Set only for a prior-period adjustment: the real date of an event that fell in a month "
                    "already closed when it was posted (the transaction is then dated in the first open month)."
                ),
                null=True,
                verbose_name="occurred on",
            ),
        ),
        migrations.AddIndex(
            model_name="ledgertransaction",
            index=models.Index(fields=["occurred_on"], name="fundraising_ledgertx_occurred"),
        ),
    ]
