"""The API's contract: the OpenAPI document generated from the code is the committed api/schema/v1.json,
every committed document has its version note in api/CHANGES.md, and v1 never takes away anything a
released version offered (a removed operation, field, answer or parameter value fails whatever the note
says; that waits for /api/v2/)."""

import copy
import json
import re

import pytest

from api import contract


@pytest.fixture(scope="module")
def generated():
    return contract.generated()


def _committed() -> dict:
    return json.loads(contract.SCHEMA_PATH.read_text(encoding="utf-8"))


def test_the_generated_schema_is_the_committed_one(generated):
    assert contract.text(generated) == contract.SCHEMA_PATH.read_text(encoding="utf-8"), (
        "The API's schema changed: run `manage.py api_schema --write`, then add a version note with the "
        f"printed fingerprint ({contract.digest(generated)}) to api/CHANGES.md."
    )


def test_the_committed_schema_has_a_version_note():
    committed = _committed()
    changes = contract.CHANGES_PATH.read_text(encoding="utf-8")
    version = committed["info"]["version"]
    section = re.search(rf"^## {re.escape(version)}\n(.*?)(?=^## |\Z)", changes, re.M | re.S)
    assert section, f"api/CHANGES.md has no note for version {version}"
    assert contract.digest(committed) in section.group(1), (
        f"The note for {version} in api/CHANGES.md does not name the committed schema "
        f"({contract.digest(committed)}): write what changed and raise the version."
    )


def test_v1_takes_nothing_away_from_a_released_version(generated):
    released = sorted(contract.RELEASED_DIR.glob("*.json"))
    assert released, "no released schema kept in api/schema/released/"
    for path in released:
        problems = contract.breaking_changes(json.loads(path.read_text(encoding="utf-8")), generated)
        assert not problems, f"breaks {path.name}: " + "; ".join(problems)


def test_a_removed_field_operation_or_value_counts_as_breaking(generated):
    """The check itself: each kind of removal is caught, an addition is not."""
    assert contract.breaking_changes(generated, generated) == []

    grown = copy.deepcopy(generated)
    grown["components"]["schemas"]["Donation"]["properties"]["new_field"] = {"type": "string"}
    assert contract.breaking_changes(generated, grown) == []

    no_field = copy.deepcopy(generated)
    del no_field["components"]["schemas"]["Donation"]["properties"]["amount"]
    assert any("items[].amount was removed" in p for p in contract.breaking_changes(generated, no_field))

    no_operation = copy.deepcopy(generated)
    del no_operation["paths"]["/api/v1/cohorts"]
    assert "GET /api/v1/cohorts: the operation was removed" in contract.breaking_changes(
        generated, no_operation
    )

    fewer_values = copy.deepcopy(generated)
    for param in fewer_values["paths"]["/api/v1/projects"]["get"]["parameters"]:
        if param["name"] == "status":
            param["schema"] = {"enum": ["active"], "type": "string"}
    assert any("status no longer takes" in p for p in contract.breaking_changes(generated, fewer_values))

    retyped = copy.deepcopy(generated)
    retyped["components"]["schemas"]["Donation"]["properties"]["matching"] = {"type": "string"}
    assert any("matching changed type" in p for p in contract.breaking_changes(generated, retyped))
