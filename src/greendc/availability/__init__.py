"""Availability of the firm IT load: loss-of-load events, their causes, and the cost of availability."""
