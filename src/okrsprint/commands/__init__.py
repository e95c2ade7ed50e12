"""One module per command, named after it: library code a test can call without the command line."""
