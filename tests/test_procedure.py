"""The procedure as data: read strictly, steps in order, deadlines chained on the calendar (no HTTP)."""
from datetime import date
from pathlib import Path

import pytest
import yaml

from formsvc import config
from formsvc.cases import facts
from formsvc.core.errors import DefinitionError
from formsvc.definitions.registry import build_registry
from formsvc.regulation.procedure import load_procedure

FILE = Path(config.PROCEDURE_FILE)


@pytest.fixture(scope="module")
def registry():
    return build_registry({k: getattr(config, k) for k in dir(config) if k.isupper()})


@pytest.fixture(scope="module")
def procedure(registry):
    return load_procedure(FILE, registry.types, registry.regulation.params.names(), facts.vocabulary())


def test_every_document_type_of_the_register_has_its_step(procedure, registry):
    placed = {d.type for s in procedure.steps for d in s.documents}
    assert placed == set(registry.types) - {"legal_aid_request"}
    assert [s.name for s in procedure.steps] == ["registration", "p16", "p17", "p20", "p21", "p22", "p23", "p27"]


def test_next_steps_follow_the_order_and_the_outcome(procedure):
    done = {"registration": date(2026, 11, 2)}
    assert [s.name for s in procedure.next_steps(done, None)] == ["p16"]
    done.update(p16=date(2026, 11, 3), p17=date(2026, 11, 4), p20=date(2026, 11, 5), p21=date(2026, 11, 6),
                p22=date(2026, 11, 9))
    assert [s.name for s in procedure.next_steps(done, "refused")] == ["p23"]
    assert procedure.by_name["p23"].documents_for("refused") == ["refusal_notice"]
    done["p23"] = date(2026, 11, 10)
    assert [s.name for s in procedure.next_steps(done, "granted")] == ["p27"]
    assert procedure.next_steps(done, "refused") == []
    assert procedure.status(done) == "notified"


def test_open_deadlines_count_from_the_day_the_step_before_is_due(procedure, registry):
    states = {s.step.name: s for s in procedure.states({"registration": date(2025, 3, 19)}, registry.regulation,
                                                      False, None)}
    assert states["p16"].deadline.due == date(2025, 3, 20)
    assert states["p17"].deadline.due == date(2025, 3, 27)
    assert states["p22"].deadline.due == date(2025, 4, 3)
    assert "p23" in states and states["p23"].deadline is not None
    late = {s.step.name: s for s in procedure.states({"registration": date(2025, 3, 19), "p16": date(2025, 3, 26)},
                                                     registry.regulation, True, None)}
    assert late["p16"].overdue(date(2025, 4, 1)) and late["p17"].deadline.due == date(2025, 3, 28)
    assert late["p22"].deadline.days == 20


@pytest.mark.parametrize("change, key", [
    (lambda d: d["steps"][1].update(colour="red"), "steps.1.colour"),
    (lambda d: d["steps"][2]["documents"].append("no_such_document"), "steps.2.documents.2"),
    (lambda d: d["steps"][1]["deadline"].update(parameter="p99_days"), "steps.1.deadline"),
    (lambda d: d["steps"][1]["deadline"].update({"from": "p22"}), "steps.1.deadline"),
    (lambda d: d["steps"][1].pop("title"), "steps.1.title"),
    (lambda d: d["documents"]["decision"]["takes"].update(amount={"rule": "no_such_rule"}),
     "documents.decision.takes.amount"),
    (lambda d: d["documents"]["decision"]["sets"].update(colour="outcome"), "documents.decision.sets.colour"),
    (lambda d: d["documents"]["decision"]["checks"].append("no_such_check"), "documents.decision.checks"),
    (lambda d: d["documents"]["grant_notice"]["takes"].update(amount="no_such_document.amount"),
     "documents.grant_notice.takes.amount"),
    (lambda d: d["documents"].update(no_such_document={}), "documents.no_such_document"),
])
def test_a_wrong_procedure_stops_the_start_up(tmp_path, registry, change, key):
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "procedure.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_procedure(path, registry.types, registry.regulation.params.names(), facts.vocabulary())
    assert info.value.key == key
