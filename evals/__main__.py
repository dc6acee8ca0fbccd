"""`python -m evals run`: score SAM Coach on the eval datasets and gate on the thresholds.

Exit codes: 0 the gate passed, 1 it failed, 2 the configuration or a dataset is invalid.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from evals.cases import DATASETS_DIR, SUITE, DatasetError
from evals.gate import BASELINE_PATH, THRESHOLDS_PATH
from evals.runner import DEFAULT_LATENCY_BUDGET_MS, DEFAULT_TIMEOUT_S, RETRIEVAL, RunOptions, run_suite
from evals.world import EVAL_TODAY


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the suite (or some datasets) and gate on the thresholds")
    run.add_argument(
        "--dataset",
        action="append",
        dest="datasets",
        metavar="NAME",
        help=f"a dataset to run (repeatable): {', '.join([*SUITE, RETRIEVAL])}; default: all",
    )
    run.add_argument(
        "--backend",
        choices=("offline", "openai"),
        help="chat backend; default: SAMCOACH_LLM__PROVIDER (openai uses SAMCOACH_LLM__BASE_URL/_API_KEY/_MODEL)",
    )
    run.add_argument("--workers", type=int, default=0, help="cases in parallel (default: cores, at most 4)")
    run.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="per-case timeout in seconds")
    run.add_argument("--fast", action="store_true", help="hash embedding instead of the local model (smoke runs)")
    run.add_argument("--today", type=date.fromisoformat, default=EVAL_TODAY, help="the demo's fixed 'today'")
    run.add_argument("--latency-budget-ms", type=int, default=DEFAULT_LATENCY_BUDGET_MS)
    run.add_argument("--out", type=Path, help="reports folder (default: <data_dir>/evals, i.e. var/evals)")
    run.add_argument("--datasets-dir", type=Path, default=DATASETS_DIR)
    run.add_argument("--thresholds", type=Path, default=THRESHOLDS_PATH)
    run.add_argument("--baseline", type=Path, default=BASELINE_PATH)
    run.add_argument("--update-baseline", action="store_true", help="rewrite the baseline from this run")
    run.add_argument("--no-gate", action="store_true", help="report only; always exit 0")
    run.add_argument(
        "--gate", action="store_true", help="gate a --fast run too (its minimums are calibrated for the local model)"
    )
    run.add_argument("--judge", action="store_true", help="score with the LLM judge (SAMCOACH_EVAL_JUDGE__*)")
    run.add_argument("--judge-model", help="judge model name (implies --judge)")
    run.add_argument("--judge-base-url", help="judge OpenAI-compatible base URL (implies --judge)")
    run.add_argument("--keep-world", action="store_true", help="keep the run's database and index for debugging")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from pydantic import ValidationError

    from assistant.llm import LLMUnavailable
    from assistant.settings import LLMSettings, get_settings
    from evals.judge import EvalEnv, build_judge
    from evals.report import terminal_summary

    try:
        settings = get_settings()
        if args.backend:
            llm = LLMSettings.model_validate({**settings.llm.model_dump(), "provider": args.backend})
            settings = settings.model_copy(update={"llm": llm})
        judge = None
        if args.judge or args.judge_model or args.judge_base_url:
            judge_settings = EvalEnv().judge.model_copy(
                update={k: v for k, v in {"model": args.judge_model, "base_url": args.judge_base_url}.items() if v}
            )
            judge = build_judge(judge_settings)
        options = RunOptions(
            datasets=args.datasets,
            workers=args.workers,
            timeout_s=args.timeout,
            fast=args.fast,
            today=args.today,
            out_dir=args.out,
            datasets_dir=args.datasets_dir,
            thresholds_path=args.thresholds,
            baseline_path=args.baseline,
            update_baseline=args.update_baseline,
            gate=not args.no_gate and (args.gate or not args.fast),
            latency_budget_ms=args.latency_budget_ms,
            judge=judge,
            progress=not args.quiet,
            keep_world=args.keep_world,
        )
        result = run_suite(options, settings)
    except (ValidationError, DatasetError, ValueError, LLMUnavailable) as exc:
        print(f"evals: {exc}", file=sys.stderr)
        return 2
    print(terminal_summary(result))
    return 0 if result.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
