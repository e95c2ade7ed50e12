"""What each command shows, as plain dataclasses built from a plan; the renderers only lay them out."""
