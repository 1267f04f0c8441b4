"""Lazy package exports, so importing a package does not import litellm (seconds) too."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(namespace: dict[str, Any], exports: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``exports[name]`` (a module path) on first use.

    Every export of that module is bound at once: importing it may also have bound a
    same-named submodule (``tutor.questions.verify``) as a package attribute, which the
    exported object must replace.
    """

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        module = importlib.import_module(exports[name])
        for export, owner in exports.items():
            if owner == exports[name]:
                namespace[export] = getattr(module, export)
        return namespace[name]

    return __getattr__
