"""The report views (report, backlog, review): data built from a Plan, then one renderer per format.

``data``, ``backlog`` and ``review`` turn the plan into plain dataclasses using ``okrsprint.metrics``;
``text_format``, ``json_format``, ``markdown_format`` and ``html_format`` only lay those out; ``output``
chooses the renderer and writes the result to the terminal or, atomically, to a file.
"""
