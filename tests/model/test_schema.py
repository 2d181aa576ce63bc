"""The case file's JSON Schema: generated from the model and library, kept in schema/."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO

from poakit.cli.main import main
from poakit.model.schema import case_schema, schema_json
from poakit.project.load import load_library

SCHEMA_FILE = REPO / "schema" / "case.schema.json"


def test_committed_schema_matches_the_model_and_library() -> None:
    current = schema_json(load_library(REPO / "snippets"))
    assert SCHEMA_FILE.read_text(encoding="utf-8") == current, (
        "schema/case.schema.json is stale: run `.venv/bin/poa schema > schema/case.schema.json`"
    )


def test_poa_schema_prints_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPO), "schema"]) == 0
    assert capsys.readouterr().out == SCHEMA_FILE.read_text(encoding="utf-8")


def test_every_field_has_a_title_and_every_property_a_description() -> None:
    schema = case_schema(load_library(REPO / "snippets"))
    missing = [
        f"{name}.{prop}"
        for name, definition in schema["$defs"].items()
        for prop, spec in definition.get("properties", {}).items()
        # a $ref property takes its title from the definition it points at
        if "description" not in spec or ("title" not in spec and "$ref" not in spec)
    ]
    missing += [p for p, spec in schema["properties"].items() if "description" not in spec]
    assert missing == []


def test_ids_from_the_library_are_offered() -> None:
    library = load_library(REPO / "snippets")
    defs = case_schema(library)["$defs"]
    assert defs["NoticeIssue"]["properties"]["reason"]["enum"] == sorted(library.reasons)
    corrective = next(
        b for b in defs["CorrectiveAction"]["properties"]["snippet"]["anyOf"] if "enum" in b
    )
    assert "remove-suspect-inventory" in corrective["enum"]
    assert "supplier-vetting" not in corrective["enum"]


@pytest.mark.parametrize("path", sorted((REPO / "cases").glob("*.yaml")), ids=lambda p: p.stem)
def test_example_cases_validate_against_the_schema(path: Path) -> None:
    data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text()))


def test_vscode_maps_the_schema_to_case_files() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text())
    assert settings["yaml.schemas"]["./schema/case.schema.json"] == ["cases/*.yaml", "cases/*.yml"]
