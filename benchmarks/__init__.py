"""Benchmarks, run by hand as modules: `python -m benchmarks.records|retrieval|assistant|api`."""
