"""Least-cost planning: a linear program built with linopy and solved with HiGHS."""
