"""Benchmarks: measurements, not tests (``make bench``)."""
