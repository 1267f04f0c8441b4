"""The ``tutor`` command: a thin shell over :class:`tutor.workspace.Workspace`.

One module per command group; each registers its commands on ``app``.
"""

from __future__ import annotations

import os
import sys

import typer

from tutor.errors import TutorError

app = typer.Typer(
    name="tutor",
    help="A terminal study tutor: cited answers from your notes, exam-style questions, offline evals.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    home: str = typer.Option(None, "--home", help="Data directory (default: $TUTOR_HOME or the platform's user data dir)."),
) -> None:
    if home:
        os.environ["TUTOR_HOME"] = home
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


def _register() -> None:
    """Import every module of this package: each registers its commands on ``app``."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def main() -> None:
    """Console entry point: user errors are one line on stderr, never a traceback."""
    _register()
    try:
        code = app(standalone_mode=False)  # returns the code of a typer.Exit in this mode
    except TutorError as exc:
        typer.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.secho("interrupted: work already committed is kept; run the command again to resume", err=True)
        sys.exit(130)
    except typer.Abort:
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors (typos, missing or bad arguments) in standalone_mode=False
        show = getattr(exc, "show", None)  # typer's vendored click exceptions can print their usage
        if show is not None:
            show()
        else:
            typer.secho(f"error: {exc.format_message()}", fg="red", err=True)
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
