"""Hostile input for the fuzzing suite (tests/security/test_fuzz.py): Hypothesis strategies, form discovery
from rendered pages, raw request encoding (so values the test client would refuse to encode, such as lone
surrogates and invalid UTF-8, still reach the server) and the database row counts that show nothing was
half-saved.

Profiles: "ci" (the default: few examples per endpoint and role, derandomized so CI is repeatable) and
"long" (`make fuzz`: many random examples). Choose one with HYPOTHESIS_PROFILE=long.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes, urljoin, urlsplit

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "ci",
    max_examples=2,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=_HEALTH,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=_HEALTH,
    print_blob=True,
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

LONG = "长" * 100_000
NUMBERS = [
    "1e2",
    "-1e2",
    "1E-7",
    "1e999",
    "-0",
    "-0.00",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1,000",
    "1.000,50",
    "1_000",
    "１２３",
    "١٢٣",
    "0x10",
    "0o17",
    "0b101",
    "+5",
    ".5",
    "5.",
    "1.005",
    "0.001",
    "-1",
    "0",
    "00012",
    "9" * 40,
    "-" + "9" * 30,
    "2147483648",
    "9223372036854775808",
    "99999999999999.99",
    "100000000000000",
    " 12 ",
    "¥88",
    "88元",
]
DATES = [
    "2024-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-1-01-01",
    "2024-13-01",
    "2024-1-1",
    "01/02/2024",
    "2024-05-01T25:61:00",
    "1970-01-01T00:00:00Z",
    "2024-05-01 08:00",
]
TEXTS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 5,
    "\x01\x02\x03\x07\x08\x0b\x0c\x0e\x1b[31m\x7f",
    "\r\n\r\n",
    "\t",
    "\u202egpj.exe",
    "\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200f\u200e",
    "\u200b\u200c\u200d\ufeff",
    "\ud800",
    "a\udfffb",
    "\ufffd\uffff\ufffe",
    "😀👩‍👩‍👧‍👦🏳️‍🌈",
    "𠜎𠜱𠝹",
    "Z̸̡̢̛̗͖̩̭̲̳͍̳̪̝̫̺̻̱̰̤͍͇͖̘͔̮̜̜̣̣̺͇͈̝̫̪̼̤̘͔̳̟̳̹̦̣͈̫̤̼͈̳̖̱̤̪͓̤̗̲̥̫͔̺̼̜̪̲̪̥̝̤̩̝̦͎̫̘̪̝͚̹̩͔͇̘̥̰̱̦̬̼̪̼̺̯̫̥̬̝̜̣̜̼̹̹̞͇̗̫̘̙͚̲̜̗̺̥̻̹̜̠̠̻̙̞̮̮̹̥͈̜͍̻̝̣̙̹̞̼̫̞̭͔̼̳̥̪̙̪̮̙̗̭̣̰͔̯̲͈͉̳̝͖̝̘͔̳̲͔͉̞̭̯̜̗̙̦̤̝̹̦̹̟̯̥̠̭̮̺̳̻͖̤̦͍̺̮͍̩̩̲̣͖̟̙̻̣̙̜̳̣̘̹̗̬̹̩̬̤̞̺̗̗͙̭̪̥̲̭̖̞̖̞̻̯̫̬̗̜͇̲̦̙͎̤̠͖̪̮̬͖̞",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "' OR '1'='1' --",
    "%00%ff%ed%a0%80",
    "../../../../etc/passwd",
    "http://127.0.0.1:6379/",
    "javascript:alert(1)",
    "true",
    "null",
    "[]",
    "{}",
    "a" * 256,
    "x" * 5000,
]
NASTY = TEXTS + NUMBERS + DATES


# Every target gets each of these in every field at once (Hypothesis explicit examples), whatever the random
# phase draws: the classes that broke real code (NUL for PostgreSQL, huge strings, lone surrogates, bidi
# overrides, emoji outside the BMP, numbers that float() or Decimal() read differently from a person).
SWEEP = [
    "a\x00b",
    LONG,
    "x\ud800\u202egpj.exe😀👩‍👩‍👧‍👦\x01\x1b[31m\x7f",
    "1e2",
    "NaN",
    "-Infinity",
    "１２３",
    "1,000",
    "9" * 40,
    "2024-02-30",
]
# Path parameters: what reaches a view through <str:...> or <slug:...> segments.
PATH_SWEEP = [*SWEEP[:3], "9" * 40, "-1", "x" * 3000]


def _printable_or_not():
    """Any code point, control characters and surrogates included."""
    return st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF, categories=None)


def _long() -> str:
    return LONG


def hostile_text() -> st.SearchStrategy[str]:
    nasty = st.sampled_from(NASTY)
    return st.one_of(
        nasty,
        st.builds(_long),
        nasty,
        st.text(_printable_or_not(), max_size=40),
        st.builds(lambda a, b: a + b, nasty, nasty),
    )


# JSON values of every type for APIs: the body is built by json.dumps, which escapes lone surrogates.
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text(),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


# Files: empty, NUL bytes, a truncated JPEG, a script behind an image header, hostile names.
def _files():
    from tests.factories.projects import jpeg_bytes
    from tests.factories.trainings import PDF_BYTES

    contents = [
        b"",
        b"\x00" * 64,
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        b"GIF89a<script>alert(1)</script>",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\ntrailer<<>>",
        b"PK\x03\x04" + b"\x00" * 40,
        "名字,金额\n张三,1e2\n\x00,NaN\n".encode(),
        PDF_BYTES,
        jpeg_bytes(gps=True),
    ]
    names = [
        "a.pdf",
        "photo.jpg",
        "\u202egpj.exe",
        "x\x00.pdf",
        "../../etc/passwd",
        "A" * 300 + ".jpg",
        "😀.png",
        "noextension",
        "donations.csv",
        "book.xlsx",
    ]
    return st.tuples(st.sampled_from(names), st.sampled_from(contents))


hostile_files = st.deferred(_files)


# Encoding ------------------------------------------------------------------------------------------------


def _bytes(value: str) -> bytes:
    return value.encode("utf-8", "surrogatepass")


def quote(value: str) -> str:
    """Percent-encode every byte, lone surrogates as their (invalid) UTF-8 bytes."""
    return quote_from_bytes(_bytes(value), safe="")


def urlencode(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs)


BOUNDARY = "FuzzBoundary7MA4YWxkTrZu0gW"


def multipart(pairs: list[tuple[str, str]], files: list[tuple[str, tuple[str, bytes]]]) -> bytes:
    out = []
    for key, value in pairs:
        out += [
            f"--{BOUNDARY}".encode(),
            b'Content-Disposition: form-data; name="' + _bytes(key).replace(b'"', b"%22") + b'"',
            b"",
            _bytes(value),
        ]
    for key, (filename, content) in files:
        out += [
            f"--{BOUNDARY}".encode(),
            b'Content-Disposition: form-data; name="'
            + _bytes(key).replace(b'"', b"%22")
            + b'"; filename="'
            + _bytes(filename).replace(b'"', b"%22")
            + b'"',
            b"Content-Type: application/octet-stream",
            b"",
            content,
        ]
    out += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(out)


MULTIPART_CONTENT = f"multipart/form-data; boundary={BOUNDARY}"


# Form discovery ------------------------------------------------------------------------------------------

SKIPPED_ACTIONS = ("/accounts/logout/", "/admin/", "/static/", "/media/")


@dataclass(frozen=True)
class FormField:
    name: str
    kind: str  # text, select, checkbox, file, hidden, submit, textarea, ...
    default: str = ""
    options: tuple[str, ...] = ()


@dataclass
class FormTarget:
    """A form (or an htmx control) found on a page: where it sends, how, and with which fields."""

    method: str
    action: str
    multipart: bool
    fields: list[FormField] = field(default_factory=list)
    page: str = ""

    @property
    def key(self):
        return (self.method, urlsplit(self.action).path, tuple(sorted({f.name for f in self.fields})))


def discover_forms(page_url: str, html: bytes | str) -> list[FormTarget]:
    """Every form on a page, and every htmx control outside a form, with its fields and their defaults."""
    import lxml.html

    if not html or not html.strip():
        return []
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    targets = []
    for form in doc.xpath("//form"):
        method = (form.get("method") or "get").lower()
        action = form.get("action") or form.get("hx-post") or form.get("hx-get") or page_url
        if form.get("hx-post"):
            method = "post"
        target = FormTarget(
            method=method,
            action=urljoin(page_url, action),
            multipart="multipart" in (form.get("enctype") or ""),
            page=page_url,
        )
        target.fields = _fields(form)
        targets.append(target)
    for el in doc.xpath("//*[(@hx-post or @hx-get) and not(ancestor::form) and not(self::form)]"):
        method = "post" if el.get("hx-post") else "get"
        fields = []
        if el.get("name"):
            fields.append(FormField(el.get("name"), "text", el.get("value") or ""))
        try:
            vals = json.loads(el.get("hx-vals") or "{}")
        except ValueError:
            vals = {}
        if isinstance(vals, dict):
            fields += [FormField(str(k), "hidden", str(v)) for k, v in vals.items()]
        action = el.get("hx-post") or el.get("hx-get")
        targets.append(FormTarget(method, urljoin(page_url, action), False, fields, page_url))
    return [t for t in targets if _fuzzable(t.action)]


def _fuzzable(action: str) -> bool:
    parts = urlsplit(action)
    if parts.netloc and parts.netloc not in ("testserver",):
        return False
    return parts.path.startswith("/") and not parts.path.startswith(SKIPPED_ACTIONS)


def _fields(form) -> list[FormField]:
    fields = []
    for el in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name] | .//button[@name]"):
        tag = el.tag
        name = el.get("name")
        if tag == "select":
            options = tuple(o.get("value", o.text_content()) for o in el.xpath(".//option"))
            selected = [o.get("value", o.text_content()) for o in el.xpath(".//option[@selected]")]
            default = selected[0] if selected else (options[0] if options else "")
            fields.append(FormField(name, "select", default, options))
        elif tag == "textarea":
            fields.append(FormField(name, "textarea", el.text or ""))
        elif tag == "button":
            fields.append(FormField(name, "submit", el.get("value") or ""))
        else:
            kind = (el.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and el.get("checked") is None:
                fields.append(FormField(name, kind, "", (el.get("value") or "on",)))
            else:
                fields.append(FormField(name, kind, el.get("value") or ""))
    return fields


# Strategies for one request -------------------------------------------------------------------------------


def form_values(target: FormTarget):
    """Field values for one submission: each field either kept (its default or one of its options), left out,
    given a hostile value, or repeated; unknown keys added now and then."""

    @st.composite
    def build(draw):
        pairs: list[tuple[str, str]] = []
        files: list[tuple[str, tuple[str, bytes]]] = []
        # At least one field is hostile when there are fields to spoil.
        spoil = draw(st.integers(min_value=0, max_value=max(len(target.fields) - 1, 0)))
        for index, f in enumerate(target.fields):
            if f.kind == "file":
                choice = draw(st.sampled_from(["hostile", "omit"])) if index != spoil else "hostile"
                if choice == "hostile":
                    files.append((f.name, draw(hostile_files)))
                continue
            choice = (
                "hostile" if index == spoil else draw(st.sampled_from(["keep", "keep", "hostile", "omit"]))
            )
            if choice == "omit":
                continue
            if choice == "keep":
                value = draw(st.sampled_from(f.options)) if f.options else f.default
                pairs.append((f.name, value))
            else:
                pairs.append((f.name, draw(hostile_text())))
                if draw(st.integers(0, 5)) == 0:
                    pairs.append((f.name, draw(hostile_text())))
        if draw(st.integers(0, 3)) == 0:
            pairs.append(
                (
                    draw(st.sampled_from(["unknown", "id", "pk", "organization", "status"])),
                    draw(hostile_text()),
                )
            )
        return pairs, files

    return build()


QUERY_KEYS = [
    "page",
    "q",
    "sort",
    "order",
    "year",
    "month",
    "status",
    "theme",
    "kind",
    "format",
    "next",
    "lang",
]


def query_pairs(known: list[str]):
    keys = st.sampled_from(sorted(set(QUERY_KEYS) | set(known)) + ["unknown", "page"])
    pages = st.sampled_from(["-1", "0", "abc", "999999999", "1e3", "9" * 30, "", "1.5", "\x00", "２"])
    pair = st.one_of(st.tuples(keys, hostile_text()), st.tuples(st.just("page"), pages))
    return st.lists(pair, min_size=1, max_size=5)


def path_values():
    return st.one_of(
        st.sampled_from(
            [
                "0",
                "-1",
                "99999999999999999999",
                "1e2",
                "abc",
                "\x00",
                "%00",
                "..",
                "\ud800",
                "😀",
                "x" * 300,
                LONG[:3000],
            ]
        ),
        hostile_text(),
    )


# Row counts ----------------------------------------------------------------------------------------------

COUNTED_APPS = (
    "auth",
    "account",
    "mfa",
    "empowerment",
    "organizations",
    "trainings",
    "projects",
    "fundraising",
    "transparency",
)


def _tables() -> list[str]:
    from django.apps import apps

    return sorted(
        {
            m._meta.db_table
            for m in apps.get_models()
            if m._meta.app_label in COUNTED_APPS and m._meta.managed and not m._meta.proxy
        }
    )


def row_counts() -> dict[str, int]:
    """Rows in every table of the project's apps, in one query."""
    from django.db import connection

    qn = connection.ops.quote_name
    tables = _tables()
    sql = " UNION ALL ".join(f"SELECT {i}, COUNT(*) FROM {qn(t)}" for i, t in enumerate(tables))  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {tables[i]: n for i, n in cursor.fetchall()}
