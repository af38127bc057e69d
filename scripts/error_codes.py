#!/usr/bin/env python3
"""The README's table of error codes, generated from formsvc/core/messages.yaml.

    scripts/error_codes.py           print the table
    scripts/error_codes.py --write   put it into README.md between its markers

The catalogue's sections (`# --- name`) say what kind of code each is; the interface texts are
not codes. `tests/test_openapi.py` checks that the README lists exactly these codes, in order.
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "formsvc" / "core" / "messages.yaml"
README = ROOT / "README.md"
START, END = "<!-- error-codes:start -->", "<!-- error-codes:end -->"
KINDS = {   # section of messages.yaml -> where its codes appear
    "field checks": "A field's value (422, in `errors[]`; `invalid` and `invalid_choice` also name a "
                    "query parameter in a 400)",
    "rules of the regulation": "The regulation's rules across fields (422, in `errors[]`; "
                               "`p22_deadline_passed` and `p23_deadline_passed` are warnings)",
    "what a document may print and must agree with": "What a document may print and must agree with "
                                                      "(422, in `errors[]`)",
    "request-level problems": "The request as a whole (the code's message is the problem's `detail`; "
                              "`too_many_errors` closes a capped `errors[]`)",
    "the case register and access": "The case register and access (401, 403 and 404 in `detail`; "
                                     "409 and 422 in `errors[]` or `detail`)",
    "a case's documents agree": "A case document against what the case holds (422 in `errors[]` on the "
                                "field at fault; `case_changed` is a 409 when two writers of one case "
                                "met; `rendition_not_issued` a 404)",
    "interface": None,   # page texts, not codes
    "the clerk workspace": None,
    "verification": None,
}


def sections() -> list[tuple[str, list[str]]]:
    """(kind, codes) of each section of the catalogue that holds error codes, in its order."""
    found: list[tuple[str, list[str]]] = []
    kind = None
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        section = re.match(r"#\s*---\s*(.+?)\s*$", line)
        if section:
            if section[1] not in KINDS:
                raise SystemExit(f"{CATALOGUE}: section {section[1]!r} is new: say in {__file__} what it holds")
            kind = KINDS[section[1]]
            if kind:
                found.append((kind, []))
        key = re.match(r"([a-z0-9_]+):\s*$", line)
        if key and kind:
            found[-1][1].append(key[1])
    return found


def codes() -> list[str]:
    """Every error code of the catalogue, in its order."""
    return [code for _, names in sections() for code in names]


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _problem_code(call: ast.Call) -> str | None:
    """The code of a `Problem(field, code, ...)` call."""
    return _literal(call.args[1]) if getattr(call.func, "id", "") == "Problem" and len(call.args) > 1 else None


def explanations() -> dict[str, str]:
    """Catalogue keys that are a more specific message of a code (`Problem(..., explain=KEY)`), with
    that code; found in formsvc's source, given as `explain=` or as a helper's `explain` argument."""
    found: dict[str, str] = {}
    for path in (ROOT / "formsvc").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = {}   # helper name -> (index of its `explain` argument, the code it passes it with)
        for f in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            names = [a.arg for a in f.args.args]
            codes = [_problem_code(c) for c in ast.walk(f) if isinstance(c, ast.Call)
                     and any(kw.arg == "explain" and getattr(kw.value, "id", "") == "explain" for kw in c.keywords)]
            if "explain" in names and codes:
                helpers[f.name] = (names.index("explain"), codes[0])
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            for kw in call.keywords:
                if kw.arg == "explain" and _literal(kw.value) and _problem_code(call):
                    found[str(_literal(kw.value))] = str(_problem_code(call))
            index, code = helpers.get(getattr(call.func, "id", ""), (None, None))
            if index is not None and index < len(call.args) and _literal(call.args[index]) and code:
                found[str(_literal(call.args[index]))] = code
    return found


def table() -> str:
    """A table per kind: the code and its Russian message (the Kazakh one is in the catalogue)."""
    texts = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    explained = explanations()
    parts = []
    for kind, names in sections():
        rows = [f"{kind}:", "", "| code | message (ru; `{…}` is filled in) |", "| --- | --- |"]
        rows += [f"| `{code}` | {f'*(a message of code `{explained[code]}`)* ' if code in explained else ''}"
                 f"{texts[code]['ru'].replace('|', '/')} |" for code in names]
        parts.append("\n".join(rows))
    return "\n\n".join(parts)


def main() -> None:
    if sys.argv[1:] == ["--write"]:
        text = README.read_text(encoding="utf-8")
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        README.write_text(f"{before}{START}\n{table()}\n{END}{after}", encoding="utf-8")
    else:
        print(table())


if __name__ == "__main__":
    main()
