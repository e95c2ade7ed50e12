"""``okrsprint diff``: the plan at two git revisions (or a revision and the working tree), compared by ids.

``git`` reads the revisions (a subprocess of the real git), ``compare`` finds the
semantic changes and the D-rule findings, ``render`` prints them as text, JSON or
Markdown for a pull-request comment.
"""
