"""Two versions of a plan: ``git`` reads a revision into a temporary folder (safely), ``compare`` lists what changed.

The D-rules that judge the changes live in ``okrsprint.rules.changes``; ``okrsprint.commands.diff`` ties them together.
"""
