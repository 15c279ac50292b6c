"""The API's contract: its OpenAPI document as committed (api/schema/v1.json, written by
`manage.py api_schema --write`), and what counts as breaking it. v1 may only grow: an operation, a
parameter value, a response field or a response status that a client could rely on is never taken away,
and no parameter becomes required; such a change waits for /api/v2/. tests/api/test_contract.py holds the
code to this."""

import hashlib
import json
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "v1.json"
RELEASED_DIR = Path(__file__).resolve().parent / "schema" / "released"
CHANGES_PATH = Path(__file__).resolve().parent / "CHANGES.md"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def generated() -> dict:
    """The OpenAPI document the code generates now, in English."""
    from .v1 import api  # noqa: PLC0415

    with translation.override("en"):
        return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=DjangoJSONEncoder))


def text(schema: dict) -> str:
    return json.dumps(schema, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def digest(schema: dict) -> str:
    """The schema's fingerprint as a version note names it: sha256: and the first 16 hex digits."""
    return "sha256:" + hashlib.sha256(text(schema).encode()).hexdigest()[:16]


def _resolve(schema: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _fields(schema: dict, node: dict, where: str, seen: frozenset = frozenset()) -> dict[str, dict]:
    """Every property reachable in a response body, by its path ("items[].amount"), with its node."""
    out: dict[str, dict] = {}
    if isinstance(node, dict) and "$ref" in node:
        if node["$ref"] in seen:
            return out
        seen = seen | {node["$ref"]}
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return out
    for option in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
        out.update(_fields(schema, option, where, seen))
    if node.get("type") == "array" and "items" in node:
        out.update(_fields(schema, node["items"], f"{where}[]", seen))
    for name, prop in node.get("properties", {}).items():
        path = f"{where}.{name}" if where else name
        out[path] = prop
        out.update(_fields(schema, prop, path, seen))
    return out


def _operations(schema: dict) -> dict[tuple[str, str], dict]:
    return {
        (path, method): op
        for path, item in schema.get("paths", {}).items()
        for method, op in item.items()
        if method in METHODS
    }


def _enum(schema: dict, node: dict) -> set | None:
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return None
    if "enum" in node:
        return set(node["enum"])
    values = set()
    for option in node.get("anyOf", []):
        found = _enum(schema, option)
        if found is None and _resolve(schema, option).get("type") != "null":
            return None
        values |= found or set()
    return values or None


def breaking_changes(old: dict, new: dict) -> list[str]:
    """What `new` takes away from clients of `old`: operations, response statuses and fields, parameters,
    parameter values; and parameters that became required."""
    problems = []
    old_ops, new_ops = _operations(old), _operations(new)
    for key, op in old_ops.items():
        name = f"{key[1].upper()} {key[0]}"
        if key not in new_ops:
            problems.append(f"{name}: the operation was removed")
            continue
        new_op = new_ops[key]
        old_params = {(p["in"], p["name"]): p for p in op.get("parameters", [])}
        new_params = {(p["in"], p["name"]): p for p in new_op.get("parameters", [])}
        for pkey, param in old_params.items():
            if pkey not in new_params:
                problems.append(f"{name}: parameter {pkey[1]} was removed")
                continue
            before, after = (
                _enum(old, param.get("schema", {})),
                _enum(new, new_params[pkey].get("schema", {})),
            )
            if before is not None and after is not None and before - after:
                problems.append(f"{name}: parameter {pkey[1]} no longer takes {sorted(before - after)}")
        for pkey, param in new_params.items():
            if param.get("required") and not old_params.get(pkey, {}).get("required"):
                problems.append(f"{name}: parameter {pkey[1]} became required")
        for status, answer in op.get("responses", {}).items():
            new_answer = new_op.get("responses", {}).get(status)
            if new_answer is None:
                problems.append(f"{name}: response {status} was removed")
                continue
            for media, content in answer.get("content", {}).items():
                new_content = new_answer.get("content", {}).get(media)
                if new_content is None:
                    problems.append(f"{name}: response {status} is no longer {media}")
                    continue
                old_fields = _fields(old, content.get("schema", {}), "")
                new_fields = _fields(new, new_content.get("schema", {}), "")
                for field, prop in old_fields.items():
                    if field not in new_fields:
                        problems.append(f"{name}: response {status} field {field} was removed")
                        continue
                    a, b = _resolve(old, prop), _resolve(new, new_fields[field])
                    if isinstance(a, dict) and isinstance(b, dict) and a.get("type") and b.get("type"):
                        if a["type"] != b["type"]:
                            problems.append(f"{name}: response {status} field {field} changed type")
    return problems
