"""Named code: rules, computations and fact sources that data files refer to by name."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def registrar(table: dict[str, F]) -> Callable[[str], Callable[[F], F]]:
    """A decorator `@name("p10_window")` that keeps a function in `table` under the name the data
    files use; a name given twice is a mistake in the code, refused at import."""
    def named(name: str) -> Callable[[F], F]:
        def register(fn: F) -> F:
            if name in table:
                raise ValueError(f"{name!r} is registered twice")
            table[name] = fn
            return fn
        return register
    return named
