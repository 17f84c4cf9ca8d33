"""``make bench``: the partner directory served production-like, measured against a bare Django view.

Not a test suite: pytest collects nothing here (no ``test_*`` files). Run ``python -m tests.bench
--help`` for the options; docs/benchmarks.md explains the method and holds the latest results.
"""
