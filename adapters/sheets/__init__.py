"""Sheets (.xlsx and .csv) in and out: reading a district's sheet into rows of fields
(``reading``, ``kinds``), and writing templates and exports (``writing``, ``exports``).

Imports become commands on the services (``services/imports.py``); this package only turns
cells into values and values into cells.
"""
