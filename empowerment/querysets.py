"""Reading large tables a page at a time; per-row subqueries and whole reads compiled once."""

import re
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BigIntegerField, Expression, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.utils import translation
from modeltranslation.manager import (
    FallbackFlatValuesListIterable,
    FallbackValuesIterable,
    FallbackValuesListIterable,
)

KEYSET_PAGE = 1000


def keyset_iterator(qs: QuerySet, key: str = "pk", size: int | None = None) -> Iterator:
    """Every row of `qs` in ascending `key` order (a unique, indexed column), fetched `size` rows at a time
    with `WHERE key > last ORDER BY key LIMIT size`. Each page is an index range scan, so the first rows
    of a million-row table arrive at once instead of after the whole table is sorted, and memory stays
    bounded. Rows added while it runs may be included; none is read twice."""
    size = size or KEYSET_PAGE
    last = None
    while True:
        page = qs.order_by(key)
        if last is not None:
            page = page.filter(**{f"{key}__gt": last})
        batch = list(page[:size])
        yield from batch
        if len(batch) < size:
            return
        last = getattr(batch[-1], key)


# A per-row subquery compiled once -------------------------------------------------------------------------

_compiled: dict[tuple, tuple[str, tuple]] = {}


def per_row_subquery(name: str, model, build: Callable[[Expression], QuerySet], *, output_field, default):
    """A correlated subquery as an annotation of `model`'s rows: `build(outer)` returns the subquery's
    queryset (one value, at most one row), filtered on `outer`, the outer row's primary key.

    What it returns is the query of Django's Subquery(build(OuterRef("pk"))), compiled once per process
    and database (`name` identifies it) instead of at every query: building and compiling a few ledger
    subqueries costs the ORM milliseconds of Python a page, more than the database takes to run them.
    It refers to the outer row as "<table>"."<pk>", so it is meant for a queryset of `model` read for its
    rows, not for one nested inside another query."""
    key = (name, connection.vendor, model._meta.db_table)
    compiled = _compiled.get(key)
    if compiled is None:
        # Only names quoted by the backend and Django's own compilation go into the SQL; values stay parameters.
        qn = connection.ops.quote_name
        outer = RawSQL(  # noqa: S611
            f"{qn(model._meta.db_table)}.{qn(model._meta.pk.column)}", (), output_field=BigIntegerField()
        )
        query = model._default_manager.all().query
        subquery = Coalesce(
            Subquery(build(outer), output_field=output_field),
            Value(default, output_field=output_field),
            output_field=output_field,
        ).resolve_expression(query)
        sql, params = query.get_compiler(connection=connection).compile(subquery)
        compiled = _compiled[key] = (sql, tuple(params))
    return RawSQL(*compiled, output_field=output_field)  # noqa: S611


# A whole read compiled once -------------------------------------------------------------------------------

# Per thread: a compiled read keeps its compiler, which belongs to the thread's database connection.
_local = threading.local()
_INT_MARKER = -(2**62)
_DATE_MARKER = date(1, 1, 1)


def compiled_once(
    name: str, build: Callable[..., QuerySet], /, *, generic_plan: bool = False, **values
) -> list:
    """The rows `build(**values)` gives (model instances, or what its values() or values_list() gives), its
    query built and compiled by the ORM once per thread and database (`name` identifies the read; `build`
    must give the same query whatever the values).

    The first time, `build` is called with a marker in place of each value (a string, an integer far below
    any key, or a date of the first year) and its query compiled; each marker must reach the query's parameters unchanged (exact
    lookups: a value Django rewrites, as `icontains` does, is refused). Afterwards only the parameters are
    filled in and the rows made as the ORM makes them (instances with their select_related objects and
    annotations, dictionaries or tuples; prefetching and named tuples are not): building and compiling a queryset with joins and subqueries
    costs more Python than the database takes to run it, which matters for a read made by every request of
    a busy address. Each language has its own (a translated field is read, filtered and ordered by the
    column of the language active when the query is built).

    On PostgreSQL the statement is prepared once per connection; with `generic_plan` it runs under one plan
    for all values (empowerment.postgresql's prepared_cursor), for a read whose values do not change the
    best plan and whose planning costs more than its run (PostgreSQL otherwise decides at each execution,
    and may plan it anew every time)."""
    return _read_of(name, build, values, generic_plan).instances(values)


def compiled_count(
    name: str, build: Callable[..., QuerySet], /, *, generic_plan: bool = False, **values
) -> int:
    """How many rows `build(**values)` gives, counted by the database (one row sent back), its query
    compiled once as compiled_once's."""
    return _read_of(name, build, values, generic_plan).count(values)


def _read_of(name: str, build: Callable[..., QuerySet], values: dict, generic_plan: bool) -> "_CompiledRead":
    reads = _local.__dict__.setdefault("reads", {})
    # The language too: django-modeltranslation writes a translated field's lookups as that of the language.
    key = (name, connection.vendor, translation.get_language(), tuple(sorted(values)))
    read = reads.get(key)
    if read is None:
        read = reads[key] = _CompiledRead(name, build, values)
    read.generic_plan = generic_plan
    return read


# How each iterable class gives a row: an instance, a dictionary, a tuple or its one value; django-modeltranslation's
# own (a translated model's values()) give the fields in the order asked, annotations last.
_SHAPES = {
    ModelIterable: "instance",
    ValuesIterable: "dict",
    ValuesListIterable: "tuple",
    FlatValuesListIterable: "flat",
    FallbackValuesIterable: "dict",
    FallbackValuesListIterable: "tuple",
    FallbackFlatValuesListIterable: "flat",
}


_PLACEHOLDER = re.compile(r"%%|%s")


def _constants_written_in(sql: str, params: tuple, slots: tuple) -> tuple[str, tuple, tuple]:
    """The compiled read's SQL with its constant parameters (those no value fills in: a status list, an
    account type) written into it as literals by the backend's own quoting, the values' parameters left in
    place. PostgreSQL plans a prepared statement's constants as it plans literals: its plan for all values
    (a generic plan, planned once per connection) then knows them, and is as good as a plan made for each
    execution's values, which PostgreSQL would otherwise make at every execution when it judges a plan
    that does not know the constants costlier (a millisecond of planning for a read of a few)."""
    constants = iter(zip(params, slots, strict=True))
    kept: list = []

    def written(match) -> str:
        if match.group() == "%%":
            return "%%"
        param, slot = next(constants)
        if slot is not None:
            kept.append((param, slot))
            return "%s"
        return connection.ops.compose_sql("%s", [param]).replace("%", "%%")

    sql = _PLACEHOLDER.sub(written, sql)
    return sql, tuple(p for p, _slot in kept), tuple(slot for _p, slot in kept)


class _CompiledRead:
    def __init__(self, name: str, build: Callable[..., QuerySet], values: dict):
        markers, self.dates = {}, set()
        for n, (field, value) in enumerate(sorted(values.items())):
            if isinstance(value, date) and not isinstance(value, datetime):
                markers[field] = _DATE_MARKER + timedelta(days=n)
                self.dates.add(field)
            elif isinstance(value, bool) or not isinstance(value, int | str):
                raise TypeError(f"{name}: {field} must be a string, an integer or a date to be compiled once")
            else:
                markers[field] = _INT_MARKER - n if isinstance(value, int) else f"\x1f{name}:{field}\x1f"
        queryset = build(**markers)
        self.compiler = queryset.query.get_compiler(connection=connection)
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # no row whatever the values (an empty `in` list): nothing is sent
            self.sql, params = None, ()
        self.params = tuple(params)
        # A date reaches the parameters as the backend adapts it (SQLite: its ISO text).
        sent = {f: self._sent(f, m) for f, m in markers.items()}
        self.slots = tuple(
            next((f for f, m in sent.items() if type(p) is type(m) and p == m), None) for p in params
        )
        rewritten = any(
            slot is None and isinstance(p, str) and "\x1f" in p
            for p, slot in zip(params, self.slots, strict=True)
        )
        if self.sql is not None and (rewritten or set(markers) - set(self.slots)):
            raise ValueError(f"{name}: a value does not reach the query's parameters unchanged")
        if self.sql is not None and connection.vendor == "postgresql":
            self.sql, self.params, self.slots = _constants_written_in(self.sql, self.params, self.slots)
        # The converters of the selected columns (the backend's and the fields' from_db_value), found once:
        # the ORM looks them up again for every column at every read (compiler.results_iter).
        self.converters = (
            self.compiler.get_converters(
                [column[0] for column in self.compiler.select[: self.compiler.col_count]]
            )
            if self.sql is not None
            else {}
        )
        self.shape = _SHAPES.get(queryset._iterable_class)
        if queryset._prefetch_related_lookups or self.shape is None:
            raise ValueError(f"{name}: prefetching and named tuples are not read this way")
        if getattr(queryset, "translation_fields", None):
            raise ValueError(
                f"{name}: a translated field's value in the visitor's language is not read this way"
            )
        query = queryset.query
        # The selected columns (in the order asked, as the ORM selects them for values()), given in the
        # order asked (django-modeltranslation selects them in any order, then restores it).
        names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        asked = list(getattr(queryset, "original_fields", None) or names)
        asked += [f for f in query.annotation_select if f not in asked]
        self.order = None if asked == names else [names.index(f) for f in asked]
        self.names = asked

    def _sent(self, field: str, value):
        return connection.ops.adapt_datefield_value(value) if field in self.dates else value

    def _filled(self, values: dict) -> list:
        return [
            p if slot is None else self._sent(slot, values[slot])
            for p, slot in zip(self.params, self.slots, strict=True)
        ]

    generic_plan = False

    def _cursor(self):
        # PostgreSQL plans the statement once per connection (empowerment.postgresql's prepared cursor).
        prepared = getattr(self.compiler.connection, "prepared_cursor", None)
        if prepared is None:
            return self.compiler.connection.cursor()
        return prepared(generic_plan=self.generic_plan)

    def _converted(self, rows: list, *, tuple_expected: bool = False):
        """The rows as the compiler's results_iter gives them, through the converters found once."""
        if not self.converters:
            return rows
        converted = self.compiler.apply_converters(rows, self.converters)
        return map(tuple, converted) if tuple_expected else converted

    def count(self, values: dict) -> int:
        """How many rows the select gives, counted by the database."""
        if self.sql is None:
            return 0
        with self._cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({self.sql}) counted", self._filled(values))  # noqa: S608
            return cursor.fetchone()[0]

    def instances(self, values: dict) -> list:
        """As the queryset's iterable class makes them, from this compiler's select."""
        compiler = self.compiler
        if self.sql is None:
            return []
        with self._cursor() as cursor:
            cursor.execute(self.sql, self._filled(values))
            rows = cursor.fetchall()
        if self.shape != "instance":
            made = self._converted(rows, tuple_expected=True)
            if self.order is not None:
                made = (tuple(row[i] for i in self.order) for row in made)
            if self.shape == "dict":
                return [dict(zip(self.names, row, strict=True)) for row in made]
            if self.shape == "flat":
                return [row[0] for row in made]
            return list(made)
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        info, select, db = compiler.klass_info, compiler.select, compiler.connection.alias
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(info, select, db)
        found = []
        for row in self._converted(rows):
            obj = info["model"].from_db(db, names, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for attribute, position in compiler.annotation_col_map.items():
                setattr(obj, attribute, row[position])
            found.append(obj)
        return found


def attach_related(instances: list, name: str, rows: list) -> list:
    """Give each of `instances` (model instances) the `rows` that refer to it through the reverse foreign key
    `name`, as prefetch_related gives them (`instance.<name>.all()` then reads no row): for related rows
    read apart, such as by compiled_once. `rows` keep their order; each row's own reference to its instance
    is set too."""
    if not instances:
        return instances
    field = getattr(instances[0], name).field  # the rows' foreign key to the instances
    cache_name, model = field.remote_field.cache_name, field.model
    by_instance: dict = {}
    for row in rows:
        by_instance.setdefault(getattr(row, field.attname), []).append(row)
    for instance in instances:
        found = by_instance.get(instance.pk, [])
        for row in found:
            field.set_cached_value(row, instance)
        kept = model._default_manager.all()
        kept._result_cache, kept._prefetch_done = found, True
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = kept
    return instances


class CompiledList:
    """The rows of an ordered queryset, `build(**values)`, for a paginator, each read compiled once
    (compiled_once): each of the first `pages` pages of `page_size` rows is a read of its own (Django writes
    LIMIT and OFFSET into the SQL), and `count_up_to(n)` counts at most n keys (CappedPaginator's count) as
    one more. Other slices, further pages and a count of another bound are read by the ORM, so a visitor
    paging far cannot fill the thread's store of compiled reads."""

    ordered = True  # build gives an ordered queryset (Paginator warns of an unordered list)

    def __init__(
        self,
        name: str,
        build: Callable[..., QuerySet],
        /,
        *,
        page_size: int,
        pages: int = 5,
        generic_plan: bool = False,
        **values,
    ):
        self.name, self.build, self.values = name, build, values
        self.page_size, self.pages, self.generic_plan = page_size, pages, generic_plan

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("a CompiledList is read by slices")
        start, stop = index.start or 0, index.stop
        size = self.page_size
        if stop is not None and stop <= start:
            return []
        if stop is None or start % size or not 0 <= stop - start <= size or start >= size * self.pages:
            return list(self.build(**self.values)[index])
        page = compiled_once(
            f"{self.name} [{start}:{start + size}]",
            _sliced(self.build, start, size),
            generic_plan=self.generic_plan,
            **self.values,
        )
        return page[: stop - start]

    def count_up_to(self, n: int, *, compiled_bound: int | None = None) -> int:
        """How many rows there are, counting no further than n (compiled once when n is compiled_bound): the
        database counts the first n keys and sends back the count."""
        keys = _keys(self.build, n)
        if compiled_bound is not None and n != compiled_bound:
            return keys(**self.values).count()
        return compiled_count(f"{self.name} keys [:{n}]", keys, generic_plan=self.generic_plan, **self.values)


def _sliced(build: Callable[..., QuerySet], start: int, size: int) -> Callable[..., QuerySet]:
    return lambda **values: build(**values)[start : start + size]


def _keys(build: Callable[..., QuerySet], n: int) -> Callable[..., QuerySet]:
    return lambda **values: build(**values).order_by().values_list("pk", flat=True)[:n]
