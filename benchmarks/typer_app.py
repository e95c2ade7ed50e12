"""The smallest typer command line that takes an option: the start-up any typer CLI pays to parse one.

    python benchmarks/typer_app.py run --today 2026-11-23

`run.py` times it beside `python -c "import typer"`: since typer 0.29 coerces every option through a
pydantic TypeAdapter, parsing one option imports pydantic, which `import typer` alone does not.
"""

import typer

app = typer.Typer()


@app.command()
def run(today: str | None = None) -> None:
    """Print the option back."""
    print(today)


@app.command()
def other() -> None:
    """A second command, so that the first is chosen by name as okrsprint's are."""


if __name__ == "__main__":
    app()
