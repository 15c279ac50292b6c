"""Fewer index entries for each imported gift: an entry's place in the chain is unique where set (the
entries of a large import wait for theirs after its commit, and were each an index entry for nothing); who
recorded a gift or created a transaction is no longer indexed (nothing looks them up by it), nor a gift's
receipt number alone (the lookup reads the unique index per channel). Five index entries fewer per gift;
measured at province, a million-row import took 52-58 s to commit instead of 63-73 s (README, Performance)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('fundraising', '0023_unique_where_set'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='donation',
            name='recorded_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='ledgerentry',
            name='seq',
            field=models.BigIntegerField(blank=True, null=True, verbose_name='sequence'),
        ),
        migrations.AlterField(
            model_name='ledgertransaction',
            name='created_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.RemoveIndex(
            model_name='donation',
            name='fundraising_receipt_ee5885_idx',
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.UniqueConstraint(condition=models.Q(('seq__isnull', False)), fields=('seq',), name='fundraising_ledgerentry_seq_key'),
        ),
    ]
