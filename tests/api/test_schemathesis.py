"""Fuzz the live OpenAPI schema with schemathesis (in-process ASGI, as Dana): no 5xx, no response that breaks
its documented schema.

One test per operation, each on a fresh copy of the demo data, so a fuzzed DELETE cannot starve the next
operation. Bounded and deterministic: explicit examples, then a few positive and negative cases per operation
from Hypothesis' derandomized (fixed-seed) generator.

Why not `@schema.parametrize()` with `schemathesis.pytest.from_fixture`: schemathesis 4.32's lazy loader reads
`Node._nodeid`, which pytest 9 no longer has. The Python API below runs the same generation and checks.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.main import create_app
from tests.api.conftest import Api, MakeApi, make_settings

# SAMCOACH_FUZZ_SCALE=10 multiplies the examples for a deeper run by hand.
SCALE = int(os.environ.get("SAMCOACH_FUZZ_SCALE", "1"))
POSITIVE_EXAMPLES = 6 * SCALE
NEGATIVE_EXAMPLES = 4 * SCALE
CHECKS = [not_a_server_error, response_schema_conformance]
STATS: Counter[str] = Counter()


def operations() -> list[tuple[str, str]]:
    # The route table needs no data: an app without a runtime lists its operations at collection time.
    document = create_app(make_settings(Path("unused"))).openapi()
    return [(method.upper(), path) for path, item in document["paths"].items() for method in item]


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(STATS.items()) if status.isdigit())
    print(f"\nschemathesis: {STATS['operations']} operations, {STATS['calls']} calls ({statuses})")


def fuzz(api: Api, strategy: st.SearchStrategy[Any], examples: int) -> None:
    headers = api.auth("dana")

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        STATS["calls"] += 1
        STATS[str(response.status_code)] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


@pytest.mark.parametrize(("method", "path"), operations(), ids=lambda value: str(value))
def test_operation_holds_under_fuzzing(make_api: MakeApi, method: str, path: str) -> None:
    api = make_api()
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.app)
    operation = schema[path][method]
    STATS["operations"] += 1
    for example in schema.get_strategies_from_examples(operation):
        fuzz(api, example, 1)
    fuzz(api, operation.as_strategy(GenerationMode.POSITIVE), POSITIVE_EXAMPLES)
    try:
        fuzz(api, operation.as_strategy(GenerationMode.NEGATIVE), NEGATIVE_EXAMPLES)
    except hypothesis.errors.Unsatisfiable:
        assert not operation.definition.raw.get("parameters") and "requestBody" not in operation.definition.raw
