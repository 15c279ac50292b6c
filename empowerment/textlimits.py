"""Maximum lengths of free text, held by the database as well as by the forms.

Every TextField of the project's models carries `max_length` (so ModelForms and the admin refuse a longer
value at the field) and a CheckConstraint built by `text_length_check` (so no other path, a script, an
import or a bug, can store a longer one). Forms bind the same limits (empowerment.forms.LONG_TEXT).
"""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# What people type into a text area.
LONG_TEXT = 20_000
# What the platform writes itself and may legitimately be longer (an email body).
MACHINE_TEXT = 200_000


def text_length_check(prefix: str, field: str, limit: int = LONG_TEXT) -> models.CheckConstraint:
    """A constraint that keeps `field` at most `limit` characters, named "<app>_<model>_<field>_len"."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit), name=f"{prefix}_{field}_len"
    )
