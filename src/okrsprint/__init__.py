"""okrsprint: planning-as-code for Scrum teams under quarterly OKRs."""

__version__ = "0.1.0"
