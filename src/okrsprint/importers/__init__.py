"""Tracker exports → one neutral record list (``records.Export``), then merged into the plan (``merge``).

``read_export`` recognises the format by content (``detect``); each reader (``jira``, ``github``,
``plain_csv``) uses only the standard library's ``csv`` and ``json``.
"""
