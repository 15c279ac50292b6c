"""Tables of sums kept beside the ledger (monthly totals, the programme's monthly totals, each fund's monthly
figures): one way to add what a posting adds to them."""

from decimal import Decimal

BATCH = 2000


def add_to_kept(model, key: tuple[str, ...], deltas: dict[tuple, list]) -> None:
    """Add {key values: [amount, entries]} to `model`'s rows, whose unique key is the fields `key` (attribute
    names, in order). Called with the ledger's chain head locked (every posting takes it), so reading the
    current rows and writing the new sums is exact (in Decimal, on SQLite too) and no posting interleaves."""
    if not deltas:
        return
    keys = list(deltas)
    near = {f"{name}__in": {k[i] for k in keys} for i, name in enumerate(key)}
    current = {tuple(getattr(row, name) for name in key): row for row in model.objects.filter(**near)}
    rows = []
    for values in keys:
        amount, count = deltas[values]
        row = current.get(values)
        rows.append(
            model(
                **dict(zip(key, values, strict=True)),
                amount=(row.amount if row else Decimal(0)) + amount,
                entries=(row.entries if row else 0) + count,
            )
        )
    model.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=[name.removesuffix("_id") for name in key],
        update_fields=["amount", "entries"],
    )
