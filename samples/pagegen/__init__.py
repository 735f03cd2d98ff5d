"""Rendered newspaper pages with exact ground truth, for the samples, the tests and the benchmarks.

Not part of the shipped package: layoutkit reads pages, it does not draw them.
"""
