"""Indicators: regional IP figures as of a date, and (later) plan monitoring."""
