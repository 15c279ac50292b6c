"""Web addresses (slugs) made from names, unique without check-then-insert races.

Looking for a free slug and then inserting is not enough: two requests may pick the same free slug at the
same moment. `save_with_unique_slug` inserts in a savepoint and, when the slug's unique constraint refuses the
row because a concurrent insert took that slug first, tries the next candidate ("name", "name-2", ...)."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from pypinyin import lazy_pinyin

ATTEMPTS = 50


def slug_base(text: str, default: str, max_length: int = 60) -> str:
    """ "包头阳光" → "bao-tou-yang-guang": Chinese written in pinyin, then slugified."""
    return slugify(" ".join(lazy_pinyin(text or "")))[:max_length].strip("-") or default


def free_slug(model, base: str, *, field: str = "slug", exclude_pk=None) -> str:
    """The first of base, base-2, base-3 ... that no row uses now (a hint: it may be taken before insert)."""
    taken = model._default_manager.filter(**{f"{field}__startswith": base})
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    used = set(taken.values_list(field, flat=True))
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_with_unique_slug(instance, *, base: str, field: str = "slug") -> None:
    """Insert `instance` with the first free slug made from `base`; when a concurrent insert takes that
    slug first, take the next one. Any other integrity error (another unique field) is raised as it is."""
    model = type(instance)
    for _attempt in range(ATTEMPTS):
        setattr(instance, field, free_slug(model, base, field=field))
        try:
            with transaction.atomic():
                instance.save()
            return
        except IntegrityError:
            slug = getattr(instance, field)
            instance.pk = None
            instance._state.adding = True
            if not model._default_manager.filter(**{field: slug}).exists():
                raise  # not the slug: another constraint refused the row
    raise IntegrityError(f"no free {model._meta.model_name} {field} for {base!r} after {ATTEMPTS} attempts")
