"""Indicators, dashboards, periodic reports, disclosure control."""
