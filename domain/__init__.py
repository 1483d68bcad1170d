"""The kaoping domain: aggregates, events, value objects and scoring rules.

Pure Python. Imports only the standard library and ``eventsourcing.domain``; times, ids
and who-did-it arrive as arguments.
"""
