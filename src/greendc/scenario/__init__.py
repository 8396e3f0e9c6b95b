"""Scenario models and files."""
