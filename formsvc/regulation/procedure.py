"""The procedure as data: its steps, their order, the documents each produces, the deadlines.

Read from `regulation/data/procedure.yaml` strictly (a wrong key stops the start-up), and
asked by the case register what a case may do next and when each step is due.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any


from formsvc.core.datafile import read_yaml
from formsvc.core.errors import DefinitionError
from formsvc.core.i18n import LANGUAGES
from formsvc.regulation import Regulation
from formsvc.regulation.deadlines import Deadline, working_day_deadline

_STEP_KEYS = {"name", "point", "title", "documents", "deadline", "status", "after", "only_if_outcome",
              "optional"}
_DEADLINE_KEYS = {"parameter", "extended_parameter", "from"}
OUTCOMES = ("granted", "refused")


@dataclass(frozen=True)
class StepDocument:
    """A document a step produces; with `outcome`, only when the decision had that outcome."""

    type: str
    outcome: str | None = None


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a path into a document the case holds in force
    (`application.applicant`; `@ref` is its number and date), or a named rule."""

    document: str | None = None
    path: str = ""
    rule: str | None = None


@dataclass(frozen=True)
class DocumentFlow:
    """What a document type takes from the case and sets on it.

    `takes`: fields the case knows (a different value sent is `case_mismatch`); `defaults`:
    fields filled from the case that this one document may change; `sets`: case facts (columns)
    and where their values come from in the issued document (a field path or a named rule);
    `checks`: named rules that make this document agree with the case.
    """

    takes: Mapping[str, Source] = field(default_factory=dict)
    defaults: Mapping[str, Source] = field(default_factory=dict)
    sets: Mapping[str, Source] = field(default_factory=dict)
    checks: tuple[str, ...] = ()
    numbering: str | None = None   # the number a document starts with: "{case}-А" -> "2026-000012-А"
    per_language: tuple[str, ...] = ()   # free texts (positions) that print in each language: kept per
                                         # language, or a warning when typed once for all


@dataclass(frozen=True)
class DeadlineRule:
    """A working-day deadline: the parameter (its extended form for p18–19) and its start step."""

    parameter: str
    start: str
    extended_parameter: str | None = None


@dataclass(frozen=True)
class Step:
    """One step of the procedure."""

    name: str
    point: str
    title: Mapping[str, str]
    status: str
    documents: tuple[StepDocument, ...] = ()
    deadline: DeadlineRule | None = None
    after: tuple[str, ...] = ()
    only_if_outcome: str | None = None
    optional: bool = False

    def documents_for(self, outcome: str | None) -> list[str]:
        """The document types that complete this step for a decision's outcome."""
        return [d.type for d in self.documents if d.outcome is None or d.outcome == outcome]


@dataclass(frozen=True)
class StepState:
    """Where a case stands on one step: done on a day, and when it is (or was) due."""

    step: Step
    done: date | None
    deadline: Deadline | None

    def overdue(self, today: date) -> bool:
        """Done after its due date, or still open after it."""
        if self.deadline is None:
            return False
        return (self.done or today) > self.deadline.due


@dataclass
class Procedure:
    """The steps in order, with what each needs."""

    steps: list[Step]
    flows: dict[str, DocumentFlow] = field(default_factory=dict)
    by_name: dict[str, Step] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {s.name: s for s in self.steps}

    def flow(self, doc_type: str) -> DocumentFlow:
        """What `doc_type` takes from the case and sets on it (nothing, if undeclared)."""
        return self.flows.get(doc_type) or DocumentFlow()

    def step_of(self, doc_type: str) -> Step | None:
        """The step a document type belongs to."""
        return next((s for s in self.steps if any(d.type == doc_type for d in s.documents)), None)

    def applies(self, step: Step, outcome: str | None) -> bool:
        """False for a step limited to an outcome the case does not have."""
        return step.only_if_outcome is None or step.only_if_outcome == outcome

    def states(self, done: Mapping[str, date], reg: Regulation, extended_review: bool,
               outcome: str | None) -> list[StepState]:
        """Every applicable step with its done date and deadline (open steps count from the
        day the step they follow is due, so a late step moves the later deadlines)."""
        result: dict[str, StepState] = {}
        for step in self.steps:
            if not self.applies(step, outcome):
                continue
            deadline = None
            if step.deadline is not None:
                start = result.get(step.deadline.start)
                begin = start.done or (start.deadline.due if start and start.deadline else None) \
                    if start else None
                if begin is not None:
                    parameter = step.deadline.parameter
                    if extended_review and step.deadline.extended_parameter:
                        parameter = step.deadline.extended_parameter
                    deadline = working_day_deadline(reg, begin, parameter)
            result[step.name] = StepState(step, done.get(step.name), deadline)
        return list(result.values())

    def next_steps(self, done: Mapping[str, date], outcome: str | None) -> list[Step]:
        """The steps that may be taken now: not done, applicable, and every step before done."""
        open_steps = []
        for step in self.steps:
            if step.name in done or not self.applies(step, outcome):
                continue
            required = step.after or self._previous(step)
            if all(name in done for name in required):
                open_steps.append(step)
        return open_steps

    def _previous(self, step: Step) -> tuple[str, ...]:
        index = self.steps.index(step)
        earlier = [s for s in self.steps[:index] if not s.optional]
        return (earlier[-1].name,) if earlier else ()

    def status(self, done: Iterable[str]) -> str:
        """The case's status: that of the last step done."""
        names = set(done)
        last = [s for s in self.steps if s.name in names]
        return last[-1].status if last else "new"


@dataclass(frozen=True)
class Vocabulary:
    """The names a procedure file may use: its rules and facts are code, registered elsewhere."""

    sources: frozenset[str] = frozenset()    # named fact sources (takes, defaults, sets)
    checks: frozenset[str] = frozenset()     # named cross-document rules
    facts: frozenset[str] = frozenset()      # the case's fact columns a document may set


def load_procedure(path: Path, document_types: Iterable[str], parameters: Iterable[str],
                   vocabulary: Vocabulary) -> Procedure:
    """Read and check the procedure; documents, parameters, rules and facts must exist."""
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not {"steps"} <= set(raw) <= {"steps", "documents"} \
            or not isinstance(raw["steps"], list):
        raise DefinitionError(path, "steps", "expected a mapping with a list of `steps` (and `documents`)")
    known_types, known_params = set(document_types), set(parameters)
    steps: list[Step] = []
    for i, spec in enumerate(raw["steps"]):
        steps.append(_step(path, f"steps.{i}", spec, known_types, known_params, {s.name for s in steps}))
    words = vocabulary
    flows = raw.get("documents") or {}
    if not isinstance(flows, dict):
        raise DefinitionError(path, "documents", "a mapping of document type to what it takes and sets")
    return Procedure(steps, {doc_type: _flow(path, f"documents.{doc_type}", doc_type, spec, known_types, words)
                             for doc_type, spec in flows.items()})


_FLOW_KEYS = {"takes", "defaults", "sets", "checks", "numbering", "per_language"}


def _flow(path: Path, key: str, doc_type: Any, spec: Any, types: set[str], words: Vocabulary) -> DocumentFlow:
    if doc_type not in types:
        raise DefinitionError(path, key, "not a known document type")
    if not isinstance(spec, dict) or set(spec) - _FLOW_KEYS:
        raise DefinitionError(path, key, f"a mapping of {', '.join(sorted(_FLOW_KEYS))}")

    def sources(part: str) -> dict[str, Source]:
        found = spec.get(part) or {}
        if not isinstance(found, dict):
            raise DefinitionError(path, f"{key}.{part}", "a mapping of field path to source")
        return {str(k): _source(path, f"{key}.{part}.{k}", v, types, words, own=doc_type if part == "sets" else None)
                for k, v in found.items()}
    sets = sources("sets")
    unknown = set(sets) - words.facts
    if unknown:
        raise DefinitionError(path, f"{key}.sets.{sorted(unknown)[0]}", "not a fact the case holds")
    checks = tuple(spec.get("checks") or ())
    for name in checks:
        if name not in words.checks:
            raise DefinitionError(path, f"{key}.checks", f"unknown rule {name!r}")
    numbering = spec.get("numbering")
    if numbering is not None and (not isinstance(numbering, str) or "{case}" not in numbering
                                  or len(numbering.format(case="2026-000000")) > 50):
        raise DefinitionError(path, f"{key}.numbering", "a text with {case} (the registration number), "
                              "at most 50 characters")
    per_language = spec.get("per_language") or []
    if not isinstance(per_language, list) or not all(isinstance(p, str) for p in per_language):
        raise DefinitionError(path, f"{key}.per_language", "a list of field paths")
    return DocumentFlow(sources("takes"), sources("defaults"), sets, checks, numbering, tuple(per_language))


def _source(path: Path, key: str, value: Any, types: set[str], words: Vocabulary, own: str | None) -> Source:
    if isinstance(value, dict) and set(value) == {"rule"}:
        if value["rule"] not in words.sources:
            raise DefinitionError(path, key, f"unknown rule {value['rule']!r}")
        return Source(rule=str(value["rule"]))
    if isinstance(value, str) and own is not None:   # `sets`: a path into the document itself
        return Source(document=own, path=value)
    if isinstance(value, str) and value.split(".", 1)[0] in types and "." in value:
        document, sub = value.split(".", 1)
        return Source(document=document, path=sub)
    raise DefinitionError(path, key, "a `document_type.path` or `{rule: name}`")


def _step(path: Path, key: str, spec: Any, types: set[str], params: set[str], earlier: set[str]) -> Step:
    if not isinstance(spec, dict):
        raise DefinitionError(path, key, "a step is a mapping")
    unknown = set(spec) - _STEP_KEYS
    if unknown:
        raise DefinitionError(path, f"{key}.{sorted(unknown)[0]}", "unknown key")
    for needed in ("name", "point", "title", "status"):
        if needed not in spec:
            raise DefinitionError(path, f"{key}.{needed}", "missing")
    title = spec["title"]
    if not isinstance(title, dict) or set(title) != set(LANGUAGES):
        raise DefinitionError(path, f"{key}.title", f"needs a text for each of {', '.join(LANGUAGES)}")
    documents = []
    for j, doc in enumerate(spec.get("documents") or []):
        doc = {"type": doc} if isinstance(doc, str) else doc
        if not isinstance(doc, dict) or doc.get("type") not in types or set(doc) - {"type", "outcome"} \
                or doc.get("outcome", "granted") not in OUTCOMES:
            raise DefinitionError(path, f"{key}.documents.{j}", "needs a known document `type` "
                                  f"(and an `outcome` of {', '.join(OUTCOMES)})")
        documents.append(StepDocument(doc["type"], doc.get("outcome")))
    deadline = None
    if "deadline" in spec:
        d = spec["deadline"]
        if not isinstance(d, dict) or set(d) - _DEADLINE_KEYS or d.get("from") not in earlier \
                or d.get("parameter") not in params or d.get("extended_parameter", d["parameter"]) not in params:
            raise DefinitionError(path, f"{key}.deadline", "needs a known `parameter` and `from` an earlier step")
        deadline = DeadlineRule(d["parameter"], d["from"], d.get("extended_parameter"))
    after = tuple(spec.get("after") or ())
    if set(after) - earlier:
        raise DefinitionError(path, f"{key}.after", "must name earlier steps")
    outcome = spec.get("only_if_outcome")
    if outcome is not None and outcome not in OUTCOMES:
        raise DefinitionError(path, f"{key}.only_if_outcome", f"one of {', '.join(OUTCOMES)}")
    return Step(name=str(spec["name"]), point=str(spec["point"]), title=dict(title), status=str(spec["status"]),
                documents=tuple(documents), deadline=deadline, after=after, only_if_outcome=outcome,
                optional=bool(spec.get("optional")))
