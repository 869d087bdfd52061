"""A small checker of JSON answers against the schemas of the v2 OpenAPI spec: required keys,
types, enums, allOf, and oneOf by discriminator. Enough to hold a server to the spec's shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).resolve().parents[3] / "shared" / "reference" / "scarf-api-v2.openapi.json"
TYPES = {"object": dict, "array": list, "string": str, "integer": int, "boolean": bool, "number": (int, float)}


def load_spec() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def problems(spec: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$") -> list[str]:
    schema = resolve(spec, schema)
    if "allOf" in schema:
        return [p for part in schema["allOf"] for p in problems(spec, part, value, where)]
    if "oneOf" in schema:
        disc = schema.get("discriminator", {})
        key = disc.get("propertyName")
        if key and isinstance(value, dict) and value.get(key) in disc.get("mapping", {}):
            return problems(spec, {"$ref": disc["mapping"][value[key]]}, value, where)
        if all(problems(spec, s, value, where) for s in schema["oneOf"]):
            return [f"{where}: matches no variant of oneOf"]
        return []
    kind = schema.get("type")
    if kind in TYPES and not isinstance(value, TYPES[kind]):
        return [f"{where}: {type(value).__name__}, not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} not in {schema['enum']}"]
    found: list[str] = []
    if isinstance(value, dict) and (kind == "object" or "properties" in schema):
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{where}: missing required {name!r}")
        for name, sub in schema.get("properties", {}).items():
            if name in value and value[name] is not None:
                found += problems(spec, sub, value[name], f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value[:50]):
            found += problems(spec, schema["items"], item, f"{where}[{i}]")
    return found


def answer_schema(spec: dict[str, Any], template: str, method: str = "get", status: str = "200") -> dict[str, Any]:
    content = spec["paths"][template][method]["responses"][status]["content"]
    return next(iter(content.values()))["schema"]
