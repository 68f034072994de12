"""Typer options built from the operation's pydantic model (`ipnav.application.options`), so the CLI and
the web API read the same definition: names, types, limits and help texts."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import pydantic
import typer

from ipnav.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])


def _cli_type(annotation: Any) -> Any:
    """The type Typer parses: dates come in as text and pydantic checks them."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        inner = next(a for a in args if a is not type(None))
        return (str if inner is dt.date else inner) | None
    return str if annotation is dt.date else annotation


def with_options(
    model: type[pydantic.BaseModel],
    *,
    exclude: tuple[str, ...] = (),
    defaults: dict[str, Any] | None = None,
    short: dict[str, str] | None = None,
) -> Callable[[F], F]:
    """Add the model's fields as `--options` to a command; it receives them as `options: model`.
    `defaults` overrides a field's default on the command line, `short` gives one-letter spellings."""
    defaults, short = defaults or {}, short or {}

    def decorate(func: F) -> F:
        own = [p for p in inspect.signature(func, eval_str=True).parameters.values() if p.name != "options"]
        fields = {n: f for n, f in model.model_fields.items() if n not in exclude}
        extra = []
        for name, field in fields.items():
            flag = "--" + name.replace("_", "-")
            if field.annotation in (bool, bool | None):
                flag = f"{flag}/--no-{name.replace('_', '-')}"
            option = typer.Option(flag, *([short[name]] if name in short else []), help=field.description)
            default = defaults.get(name, field.default)
            annotation = Annotated[_cli_type(field.annotation), option]  # type: ignore[valid-type]
            extra.append(
                inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
            )

        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name) for name in fields}
            try:
                options = model(**values)
            except pydantic.ValidationError as exc:
                first = exc.errors()[0]
                name = str(first["loc"][0]) if first["loc"] else ""
                raise UsageError(f"--{name.replace('_', '-')} {values.get(name)!r}: {first['msg']}") from None
            return func(*args, options=options, **kwargs)

        positional = [p for p in own if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        keyword = [p for p in own if p.kind is inspect.Parameter.KEYWORD_ONLY]
        command.__signature__ = inspect.Signature(positional + keyword + extra)  # type: ignore[attr-defined]
        command.__annotations__ = {}
        return typing.cast(F, command)

    return decorate
