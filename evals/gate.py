"""The regression gate: per dataset and scorer, a minimum mean score and a maximum drop against the stored
baseline (`evals/thresholds.yaml`, `evals/baseline.json`). The LLM judge is reported, never gated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

EVALS_DIR = Path(__file__).resolve().parent
THRESHOLDS_PATH = EVALS_DIR / "thresholds.yaml"
BASELINE_PATH = EVALS_DIR / "baseline.json"
DEFAULT_MAX_DROP = 0.05
BASELINE_DECIMALS = 4


class Threshold(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min: float = Field(ge=0, le=1, description="the mean score may not fall below this")
    max_drop: float | None = Field(default=None, ge=0, le=1, description="allowed fall from the baseline mean")
    min_pass_rate: float | None = Field(default=None, ge=0, le=1)


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    default_max_drop: float = Field(default=DEFAULT_MAX_DROP, ge=0, le=1)
    datasets: dict[str, dict[str, Threshold]]

    def get(self, dataset: str, scorer: str) -> Threshold | None:
        return self.datasets.get(dataset, {}).get(scorer)

    def max_drop(self, threshold: Threshold) -> float:
        return self.default_max_drop if threshold.max_drop is None else threshold.max_drop


def load_thresholds(path: Path = THRESHOLDS_PATH) -> Thresholds:
    try:
        return Thresholds.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ValueError(f"{path}: {exc}") from exc


@dataclass(frozen=True)
class Aggregate:
    """One dataset × scorer over the cases it applied to."""

    dataset: str
    scorer: str
    n: int
    mean: float
    pass_rate: float
    gated: bool = True

    @property
    def key(self) -> str:
        return f"{self.dataset}/{self.scorer}"


@dataclass(frozen=True)
class Baseline:
    config: dict[str, Any]
    scores: dict[str, dict[str, float]]
    run_id: str = ""

    def comparable(self, config: dict[str, Any]) -> bool:
        return all(self.config.get(k) == config.get(k) for k in ("backend", "embedding", "today"))

    def mean(self, key: str) -> float | None:
        found = self.scores.get(key)
        return None if found is None else float(found["mean"])


def load_baseline(path: Path = BASELINE_PATH) -> Baseline | None:
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Baseline(config=data.get("config", {}), scores=data.get("scores", {}), run_id=data.get("run_id", ""))


def write_baseline(path: Path, run_id: str, config: dict[str, Any], aggregates: list[Aggregate]) -> None:
    data = {
        "version": 1,
        "run_id": run_id,
        "written_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "config": config,
        "scores": {
            a.key: {
                "mean": round(a.mean, BASELINE_DECIMALS),
                "pass_rate": round(a.pass_rate, BASELINE_DECIMALS),
                "n": a.n,
            }
            for a in aggregates
            if a.gated
        },
    }
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


Status = Literal["pass", "fail", "ungated"]


@dataclass(frozen=True)
class GateCheck:
    aggregate: Aggregate
    status: Status
    minimum: float | None
    baseline: float | None
    message: str

    @property
    def delta(self) -> float | None:
        return None if self.baseline is None else self.aggregate.mean - self.baseline


def evaluate_gate(
    aggregates: list[Aggregate], thresholds: Thresholds, baseline: Baseline | None, config: dict[str, Any]
) -> list[GateCheck]:
    """A check per aggregate. Fails: mean below its minimum, pass rate below its minimum, or a drop from a
    comparable baseline larger than the tolerance. Scorers without a threshold are reported, not gated."""
    compare = baseline if baseline is not None and baseline.comparable(config) else None
    checks = []
    for aggregate in aggregates:
        threshold = thresholds.get(aggregate.dataset, aggregate.scorer) if aggregate.gated else None
        base = compare.mean(aggregate.key) if compare is not None else None
        if threshold is None:
            checks.append(GateCheck(aggregate, "ungated", None, base, "no threshold"))
            continue
        problems = []
        if aggregate.mean < threshold.min - 1e-9:
            problems.append(f"mean {aggregate.mean:.3f} < minimum {threshold.min:.3f}")
        if threshold.min_pass_rate is not None and aggregate.pass_rate < threshold.min_pass_rate - 1e-9:
            problems.append(f"pass rate {aggregate.pass_rate:.3f} < minimum {threshold.min_pass_rate:.3f}")
        tolerance = thresholds.max_drop(threshold)
        # The baseline keeps 4 decimals: the same run must compare equal to it, even with no tolerance at all.
        drop = base - round(aggregate.mean, BASELINE_DECIMALS) if base is not None else 0.0
        if drop > tolerance + 1e-9:
            problems.append(f"dropped {drop:.4f} from baseline {base:.4f} (tolerance {tolerance:.3f})")
        status: Status = "fail" if problems else "pass"
        checks.append(GateCheck(aggregate, status, threshold.min, base, "; ".join(problems) or "ok"))
    return checks


def gate_passed(checks: list[GateCheck]) -> bool:
    return all(check.status != "fail" for check in checks)
