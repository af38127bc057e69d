"""Kazakh case endings, and the sex an IIN encodes (for Russian forms such as «Уважаемая»).

Kazakh is agglutinative and regular: a case ending goes on the last word of a phrase, its
vowel follows the last vowel of that word (back а о ұ ы / front ә е ө ү і), and its first
consonant follows the word's last sound. A third-person possessive (Ержанқызы, Серікұлы,
әкімі, қағидалары) takes the pronominal н: Ержанқызына, қағидаларының. That is all a
document needs for dates (2013 жылғы 12 желтоқсандағы), names and titles; no library does it.

Russian names are not inflected here: their declension depends on sex and on the origin of
the name (Серікова declines, Гүлнар and Ержанқызы do not), which no rule set or dictionary
(pymorphy3, petrovich) gets right for Kazakh names. Russian sentences are written so the
name stands in the nominative ("Заявитель: …").
"""
from __future__ import annotations

BACK_VOWELS = frozenset("аоұыяёю")
FRONT_VOWELS = frozenset("әеөүіэ")
VOWELS = BACK_VOWELS | FRONT_VOWELS | frozenset("и")
VOICELESS = frozenset("кқпстфхһцчшщ")
NASALS = frozenset("мнң")
SONORANTS = frozenset("лрйуwжз")   # and the nasals: the "soft" consonants of the tables below
# Patronymics are possessives (Ержан қызы, "Ержан's daughter"): they take the pronominal н.
PATRONYMIC_ENDINGS = ("ұлы", "улы", "қызы", "кызы")

CASES = ("gen", "dat", "acc", "loc", "abl", "ins")

# case -> (after a possessive, after a vowel, after a nasal, after л р й у ж з, after other voiced, after voiceless)
# each as a back/front pair
_ENDINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "gen": (("ның", "нің"), ("ның", "нің"), ("ның", "нің"), ("дың", "дің"), ("тың", "тің"), ("тың", "тің")),
    "dat": (("на", "не"), ("ға", "ге"), ("ға", "ге"), ("ға", "ге"), ("ға", "ге"), ("қа", "ке")),
    "acc": (("н", "н"), ("ны", "ні"), ("ды", "ді"), ("ды", "ді"), ("ты", "ті"), ("ты", "ті")),
    "loc": (("нда", "нде"), ("да", "де"), ("да", "де"), ("да", "де"), ("да", "де"), ("та", "те")),
    "abl": (("нан", "нен"), ("дан", "ден"), ("нан", "нен"), ("дан", "ден"), ("дан", "ден"), ("тан", "тен")),
    "ins": (("мен", "мен"), ("мен", "мен"), ("мен", "мен"), ("мен", "мен"), ("пен", "пен"), ("пен", "пен")),
}


def is_front(word: str) -> bool:
    """True if the word's last vowel is front (ә е ө ү і э); back otherwise.

    и (ій or ый) and у (a vowel or a consonant) follow the vowel before them: Ғалиға, Әлиге;
    a word with no other vowel is front.
    """
    neutral = False
    for ch in reversed(word.lower()):
        if ch in "иу":
            neutral = True
        elif ch in FRONT_VOWELS:
            return True
        elif ch in BACK_VOWELS:
            return False
    return neutral


def _sound(word: str, possessive: bool) -> int:
    last = word.lower()[-1]
    if possessive:
        return 0
    if last in VOWELS:
        return 1
    if last in NASALS:
        return 2
    if last in SONORANTS:
        return 3
    if last in VOICELESS:
        return 5
    return 4


def kazakh_case(phrase: str, case: str, possessive: bool | None = None) -> str:
    """The phrase with the case ending on its last word ("Серікова Гүлнар Ержанқызы", "dat"
    -> "Серікова Гүлнар Ержанқызына"). A patronymic is known as a possessive; say
    `possessive=True` for other possessives (әкімі -> әкіміне, қағидалары -> қағидаларының)."""
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}; one of {', '.join(CASES)}")
    text = phrase.rstrip()
    if not text:
        return phrase
    head, _, word = text.rpartition(" ")
    core = word.rstrip("»\")")
    tail = word[len(core):]
    if not core or not any(ch.isalpha() for ch in core):
        return phrase
    owned = core.lower().endswith(PATRONYMIC_ENDINGS) if possessive is None else possessive
    sound = _sound(core, owned)
    back, front = _ENDINGS[case][sound]
    if case == "ins" and not owned and core.lower()[-1] in "жз":
        back = front = "бен"   # Әзізбен
    ending = front if is_front(core) else back
    inflected = core + ending
    return f"{head} {inflected}{tail}" if head else inflected + tail


def iin_sex(iin: str | None) -> str | None:
    """'male' or 'female' from the 7th digit of an IIN (odd: male, even: female), None if unknown."""
    if not iin or len(iin) < 7 or not iin[6].isdigit() or iin[6] in "0789":
        return None
    return "male" if int(iin[6]) % 2 else "female"
