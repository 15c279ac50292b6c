"""The permission matrix: what every URL of the project answers to each kind of person.

Each app has a module here (core.py, organizations.py, trainings.py, ...) defining ENTRIES: a dict from a
URL name (``namespace:name``), or a regular expression (a key starting with ``re:``) matching several
names, to an Entry, and optionally `setup(fx)` creating the objects its URLs need. Every module's setup
runs on the same fixtures object: name the attributes after the app (fx.projects_update, fx.core_document)
so that they do not overwrite each other. tests/security/test_permission_matrix.py walks every URL pattern of the project and
fails for a pattern that no entry covers, so no view can escape the table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "a_admin",
    "a_editor",
    "a_viewer",
    "b_admin",
    "programme_officer",
    "finance_officer",
    "trainer",
    "administrator",
)
MEMBERS_A = ("a_admin", "a_editor", "a_viewer")
STAFF = ("programme_officer", "finance_officer", "trainer", "administrator")


def expect(default: int | None = None, **codes) -> dict[str, int]:
    """Expected status per role: `default` for every role not named. Group keys: members_a, staff."""
    table = {role: default for role in ROLES}
    for key, code in codes.items():
        if key == "members_a":
            table.update(dict.fromkeys(MEMBERS_A, code))
        elif key == "staff":
            table.update(dict.fromkeys(STAFF, code))
        elif key in table:
            table[key] = code
        else:
            raise KeyError(f"Unknown role {key!r}")
    missing = [role for role, code in table.items() if code is None]
    if missing:
        raise ValueError(f"No expectation for {missing}")
    return table


@dataclass
class Entry:
    """How to call a URL and what each role gets.

    kwargs(fx) builds the URL arguments from the fixtures object (fx.org_a, fx.org_b, and whatever an
    app's `setup(fx)` adds). method: "get" or "post" (posted with `data(fx)`). skip: a reason, for a
    pattern covered by a dedicated test instead (e.g. admin object pages).
    """

    expect: dict[str, int] = field(default_factory=dict)
    kwargs: Callable = field(default=lambda fx: {})
    method: str = "get"
    data: Callable = field(default=lambda fx: {})
    skip: str = ""
