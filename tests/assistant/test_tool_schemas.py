"""Tool docstrings and signatures are prompt surface: any change shows up here as a diff to review.

Regenerate on purpose with `UPDATE_SNAPSHOTS=1 pytest tests/assistant/test_tool_schemas.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from langchain_core.utils.function_calling import convert_to_openai_tool

from assistant.agent.tools import ALL_TOOLS

SNAPSHOT = Path(__file__).parent / "snapshots" / "tools.json"


def test_tool_schemas_match_the_snapshot() -> None:
    current = {tool.name: convert_to_openai_tool(tool) for tool in ALL_TOOLS}
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    stored = json.loads(SNAPSHOT.read_text())
    assert sorted(current) == sorted(stored), "tools added or removed"
    for name, schema in current.items():
        assert schema == stored[name], f"schema of {name} changed; review and regenerate the snapshot"


def test_no_tool_exposes_the_run_context_to_the_model() -> None:
    for tool in ALL_TOOLS:
        properties = convert_to_openai_tool(tool)["function"]["parameters"].get("properties", {})
        assert "runtime" not in properties, tool.name
