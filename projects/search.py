"""Selectors for the public project list's search: which projects a visitor's words find.

A search is read the way web search boxes are (PostgreSQL's websearch syntax): every term must be found,
`"two words"` is one term, `-word` leaves out what contains it, and `a OR b` finds either. A term is found
in a project when its title or its summary (in either language) or its organization's Chinese or English
name contains it, in any case: a term in Latin letters at the start of a word ("resident" finds "residents",
"a" does not find "stairs"), Chinese anywhere, as written, so no word splitting is needed.

Every test is first a case-insensitive substring match (UPPER(column) LIKE UPPER('%term%')). On PostgreSQL
it is preceded by a test the GIN indexes of migration projects/0009 answer: the text holds every character and
pair of adjacent characters (search_grams) of the term, which for a term of one or two characters (most Chinese
words: "关爱", "养老") is the same test and for a longer one leaves the LIKE a few rows to check. (pg_trgm's
indexes of migrations 0006 and 0007 cannot narrow a term of fewer than three characters, nor be planned for a
term given as a parameter, as a search's compiled read gives it.) Each table is searched on its own (a subquery per table, its columns' tests joined by OR, which PostgreSQL answers with one
BitmapOr of their indexes or one scan), never through an OR across a join that would read every row: the
projects found by their own texts and those of the organizations found are one list (UNION) the page's rows
are taken from. On SQLite the same filter is a plain LIKE."""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, CharField, F, Func, Q, QuerySet, TextField, Value
from django.db.models.lookups import IContains, PatternLookup

from organizations.models import Organization

from .models import Project

MAX_TERMS = 8
MAX_LENGTH = 100
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    text: str
    exclude: bool = False


def search_terms(q: str) -> list[list[Term]]:
    """The search as groups of terms: a project is found when, in every group, one of the terms matches
    (an excluded term matches when the text does not contain it). At most MAX_LENGTH characters are read
    (NUL removed) and MAX_TERMS terms kept; an unclosed quote runs to the end; a lone "OR" or "-" is
    ignored."""
    groups: list[list[Term]] = []
    join_next = False
    kept = 0
    for minus, phrase, word in _TOKEN.findall((q or "").replace("\x00", "")[:MAX_LENGTH]):
        if word and word.upper() == "OR":
            join_next = bool(groups)
            continue
        if word:
            minus, text = ("-", word[1:]) if word.startswith("-") else ("", word)
            text = text.replace('"', "")
        else:
            text = " ".join(phrase.split())
        if not text or kept >= MAX_TERMS:
            continue
        term = Term(text, exclude=bool(minus))
        kept += 1
        if join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return groups


def _literal(text: str) -> str:
    """`text` as a regular expression matching itself, in both PostgreSQL's and Python's dialects: every
    character that is not a letter or digit escaped (a backslash before such a character is the character
    in both)."""
    return "".join(c if c.isalnum() else "\\" + c for c in text)


def _starts_a_word(text: str) -> str:
    """A pattern for `text` at the start of a word: \\m in PostgreSQL, \\b in Python (SQLite's REGEXP)."""
    boundary = "\\m" if connection.vendor == "postgresql" else "\\b"
    return boundary + _literal(text)


class _LikePattern(IContains):
    """`icontains` given its LIKE pattern already made (the term escaped, between %): the same SQL and
    parameter as Django's icontains of the term, the value reaching the parameters as given, so that a search's
    read can be compiled once (empowerment.querysets.compiled_once) and later only filled in."""

    def process_rhs(self, qn, connection):
        return super(PatternLookup, self).process_rhs(qn, connection)


CharField.register_lookup(_LikePattern, lookup_name="icontains_pattern")
TextField.register_lookup(_LikePattern, lookup_name="icontains_pattern")


class _HoldsGram(Func):
    """A text column, upper-cased, holds every character and pair of adjacent characters of the term `gram`
    (upper-cased by PostgreSQL as the column is): search_grams(UPPER(column)) @> search_grams(UPPER(gram)),
    the column's side being the expression of its GIN index of migration projects/0009. PostgreSQL only."""

    arity = 2
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        gram, gram_params = compiler.compile(self.source_expressions[1])
        return f"search_grams(UPPER({column}::text)) @> search_grams(UPPER({gram}))", (
            *column_params,
            *gram_params,
        )


@dataclass(frozen=True)
class Search:
    """A search as the shape of its query and the values that fill it: `shape` has, for each group of terms,
    each term's (excluded?, tested at the start of a word?, looked up by the grams' indexes?); `values` the
    term's LIKE pattern ("like<i>"), for a word-start term its regular expression ("word<i>"), and on
    PostgreSQL the term itself ("gram<i>"), numbered in the order of the terms. Two
    searches of one shape are one query with other parameters."""

    shape: tuple[tuple[tuple[bool, bool, bool], ...], ...]
    values: dict[str, str]

    @property
    def terms(self) -> int:
        return sum(len(group) for group in self.shape)


def search_of(q: str) -> Search:
    """The search `q` (search_terms) as a shape and its values."""
    shape, values, i = [], {}, 0
    grams = connection.vendor == "postgresql"  # the grams' indexes are PostgreSQL's (migration 0009)
    for group in search_terms(q):
        terms = []
        for term in group:
            word = term.text[0].isascii() and term.text[0].isalnum()
            gram = grams
            values[f"like{i}"] = f"%{connection.ops.prep_for_like_query(term.text)}%"
            if word:
                values[f"word{i}"] = _starts_a_word(term.text)
            if gram:
                values[f"gram{i}"] = term.text
            terms.append((term.exclude, word, gram))
            i += 1
        shape.append(tuple(terms))
    return Search(tuple(shape), values)


def _contains(field: str, like: str, word: str | None) -> Q:
    """`field` contains the term in any case (its LIKE pattern `like`),
    and, for a term that begins with a Latin letter or digit, contains it at the start of a word (`word`:
    "org a" does not find every text with an "a" in it; "resident" still finds "residents"). Chinese is
    matched anywhere."""
    found = Q(**{f"{field}__icontains_pattern": like})
    if word is not None:
        found &= Q(**{f"{field}__iregex": word})
    return found


def _matching(
    queryset: QuerySet, fields: list[str], like: str, word: str | None, gram: str | None
) -> QuerySet:
    """The ids of the rows of one table where any of `fields` contains the term: one reading of the table
    (on PostgreSQL a BitmapOr of the columns' grams' indexes, or of their trigram indexes when no `gram` is
    given; one scan on SQLite)."""
    found = Q()
    for field in fields:
        found |= _contains(field, like, word)
    if gram is not None:
        # A text holding the term holds its grams (for a term of one or two characters, exactly the texts
        # holding it): found by the grams' indexes, the LIKE tests above then check the rows found.
        held = Q()
        for field in fields:
            held |= Q(_HoldsGram(F(field), Value(gram)))
        found = held & found
    return queryset.filter(found).order_by().values("pk")


def _found(like: str, word: str | None, gram: str | None) -> Q:
    # Both languages' columns of each text (projects/translation.py, organizations/translation.py).
    by_text = _matching(
        Project.objects.all(),
        ["title_zh_hans", "title_en", "summary_zh_hans", "summary_en"],
        like,
        word,
        gram,
    )
    by_organization = _matching(Organization.objects.all(), ["name_zh_hans", "name_en"], like, word, gram)
    # One list of the projects found, so PostgreSQL can start from it (a few projects joined and sorted)
    # rather than test every project of the list's order against the two (an OR of subqueries).
    of_organizations = Project.objects.filter(organization_id__in=by_organization).order_by().values("pk")
    return Q(pk__in=by_text.union(of_organizations))


def search_projects(projects: QuerySet[Project], q: str) -> QuerySet[Project]:
    """`projects` narrowed to those the search `q` finds (see the module); all of them when `q` holds no
    term."""
    search = search_of(q)
    return searched(projects, search.shape, **search.values)


def searched(projects: QuerySet[Project], shape, **values: str) -> QuerySet[Project]:
    """`projects` narrowed by a search of `shape` (Search) filled with `values`."""
    i = 0
    for group in shape:
        either = Q()
        for exclude, word, gram in group:
            found = _found(
                values[f"like{i}"], values[f"word{i}"] if word else None, values[f"gram{i}"] if gram else None
            )
            either |= ~found if exclude else found
            i += 1
        projects = projects.filter(either)
    return projects
