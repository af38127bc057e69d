"""The acts documents cite: dated data, read strictly; a new decision is a change of the file."""
from datetime import date
from pathlib import Path

import pytest
import yaml

from formsvc import config
from formsvc.core.errors import DefinitionError
from formsvc.regulation.acts import load_acts

ACTS = Path(config.ACTS_FILE)


def raw():
    return yaml.safe_load(ACTS.read_text(encoding="utf-8"))


def written(tmp_path, data):
    path = tmp_path / "acts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def plain(text):
    return text.replace("\u00a0", " ")


def test_the_saran_rules_as_the_regulation_names_them():
    rules = load_acts(ACTS).on("saran_rules", date(2026, 11, 12))
    kk, ru = rules.printed("kk"), rules.printed("ru")
    assert plain(kk.cite).startswith("Саран қалалық мәслихатының 2013 жылғы 12 желтоқсандағы № 279 шешімімен "
                                     "бекітілген Әлеуметтік көмек көрсетудің, оның мөлшерін белгілеудің және Саран "
                                     "қаласы мен Ақтас кентінің мұқтаж азаматтарының жекелеген санаттарының тізбесін "
                                     "айқындаудың қағидаларының")
    # the title exactly as the regulation's text (shared/regulation/003_…) writes it
    assert kk.title == ("Әлеуметтік көмек көрсетудің, оның мөлшерін белгілеудің және Саран қаласы мен Ақтас кентінің "
                        "мұқтаж азаматтарының жекелеген санаттарының тізбесін айқындаудың қағидалары")
    assert plain(ru.cite).endswith("утвержденных решением Саранского городского маслихата от 12 декабря 2013 года № 279")
    assert ru.number == "279" and str(ru.date) == "12\u00a0декабря\u00a02013\u00a0г."


def test_the_model_rules_for_the_form_marks():
    model = load_acts(ACTS).on("model_rules", date(2026, 11, 12)).printed("ru")
    assert plain(model.to) == ("к Типовым правилам оказания социальной помощи, установления размеров и определения "
                               "перечня отдельных категорий нуждающихся граждан, утвержденным постановлением "
                               "Правительства Республики Казахстан от 21 мая 2013 года № 504")


def test_a_new_decision_is_a_new_version(tmp_path):
    data = raw()
    newer = dict(data["saran_rules"]["versions"][0], number="75", adopted=date(2023, 11, 23))
    newer["from"] = date(2027, 1, 1)
    data["saran_rules"]["versions"].append(newer)
    acts = load_acts(written(tmp_path, data))
    assert acts.on("saran_rules", date(2026, 12, 31)).number == "279"
    later = acts.on("saran_rules", date(2027, 1, 1)).printed("kk")
    assert later.number == "75" and "2023\u00a0жылғы\u00a023\u00a0қарашадағы № 75" in later.cite.replace("№\u00a0", "№ ")
    with pytest.raises(LookupError):
        acts.on("saran_rules", date(2013, 1, 1))


@pytest.mark.parametrize("spoil, key", [
    (lambda d: d.pop("model_rules"), "model_rules"),
    (lambda d: d["saran_rules"]["versions"][0].pop("number"), "saran_rules.versions.0"),
    (lambda d: d["saran_rules"]["versions"][0]["kk"].update(cite="… {date.attr} …"), "saran_rules.versions.0.kk.cite"),
    (lambda d: d["saran_rules"]["versions"][0]["ru"].pop("to"), "saran_rules.versions.0.ru"),
    (lambda d: d["saran_rules"]["versions"][0].update(number=279), "saran_rules.versions.0.number"),
    (lambda d: d["saran_rules"]["versions"].append(dict(d["saran_rules"]["versions"][0])), "saran_rules.versions.1.from"),
])
def test_a_mistake_in_the_file_names_the_key(tmp_path, spoil, key):
    data = raw()
    spoil(data)
    with pytest.raises(DefinitionError) as caught:
        load_acts(written(tmp_path, data))
    assert caught.value.key == key
