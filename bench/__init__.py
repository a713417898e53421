"""Benchmarks of the core against the physical limits: `python -m bench` (see bench/run.py)."""
