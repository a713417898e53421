"""Turn free text into comparable terms: the lexical grader's normalisation.

Both a key point and an answer go through the same steps, so what matters is that two ways of
writing one idea end up as the same terms, not that a term is a real English word:

1. lower case, accents and punctuation dropped (``Kullback–Leibler`` → ``kullback leibler``);
2. British spellings to American (``regularisation`` → ``regularization``);
3. a light suffix stemmer (``normalizes``, ``normalization`` → ``norm``);
4. ML synonyms and abbreviations joined into one term (see synonyms.py);
5. stopwords and single letters dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache

from bot.grading.synonyms import SYNONYMS

_TOKEN = re.compile(r"[a-z0-9]+")

# Whole-word British spellings that no rule below catches.
_BRITISH_WORDS = {
    "colour": "color",
    "behaviour": "behavior",
    "neighbour": "neighbor",
    "neighbouring": "neighboring",
    "neighbourhood": "neighborhood",
    "favour": "favor",
    "labour": "labor",
    "centre": "center",
    "centred": "centered",
    "metre": "meter",
    "fibre": "fiber",
    "defence": "defense",
    "licence": "license",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "programme": "program",
    "grey": "gray",
    "artefact": "artifact",
    "artefacts": "artifacts",
    "judgement": "judgment",
    "aluminium": "aluminum",
}

# -ise/-isation/-yse endings. Applied to every word: a word that is not British (``promise``)
# changes the same way in the key point and in the answer, so nothing is lost.
_BRITISH_SUFFIX = re.compile(r"(?<=[a-z]{2})(is|ys)(e|es|ed|ing|ation|ations|er|ers)$")
_VOWELS = frozenset("aeiouy")
_KEEP_FINAL_S = ("ss", "us", "is", "as")

# Suffixes stripped repeatedly, longest first, while at least three letters with a vowel remain.
_SUFFIXES = (
    "izations",
    "ization",
    "ations",
    "ation",
    "ating",
    "ated",
    "ates",
    "ate",
    "ements",
    "ement",
    "ments",
    "ment",
    "ness",
    "ities",
    "ity",
    "ty",
    "ingly",
    "ings",
    "ing",
    "edly",
    "ically",
    "ical",
    "ally",
    "ly",
    "ances",
    "ance",
    "ences",
    "ence",
    "ants",
    "ant",
    "ents",
    "ent",
    "ives",
    "ive",
    "izers",
    "izer",
    "izes",
    "ize",
    "iz",
    "ers",
    "er",
    "ed",
    "ous",
    "ful",
    "able",
    "ible",
    "al",
    "at",
)

_STOPWORDS_TEXT = """
    a about above after again against all almost also although always am an and another any are
    around as at b basically be because been before being below between both but by c can cannot
    could d did do does doing done down during e each eg either else enough etc even ever every
    f few for from further g get gets getting give gives go goes going got h had has have having he
    her here hers him his how however i ie if in into is it its itself j just k kind kinda l lol
    like likely m made make makes making many may me might more most mostly much must my n need
    needs nor not now o of off often on once one only or other others otherwise our ours out over
    own p per pretty q quite r rather really s same say says see should so some something such t
    tbh than that the their theirs them then there these they thing things think this those though
    through thus to too u under until up upon us use used uses using usually v very via w want was
    way we well were what when where whether which while who whom whose why will with within
    without would x y yes yet you your z
    actually approach basic common etc generally just maybe okay ok probably simply stuff typical
    typically versus vs whatever whichever
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def spell_american(word: str) -> str:
    """The American spelling of a British word; other words unchanged."""
    if word in _BRITISH_WORDS:
        return _BRITISH_WORDS[word]
    return _BRITISH_SUFFIX.sub(lambda m: m.group(1)[0] + "z" + m.group(2), word)


def _has_vowel(text: str) -> bool:
    return any(ch in _VOWELS for ch in text)


def _strip_plural(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(_KEEP_FINAL_S) and len(word) > 3:
        return word[:-1]
    return word


def _strip_suffix(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            shortest = 4 if suffix == "ly" else 3  # "apply" is not "app" + "ly"
            if len(stem) >= shortest and _has_vowel(stem):
                # multiplied -> multipli -> multiply, to meet "multiply"
                return stem[:-1] + "y" if stem.endswith("i") else stem
    return word


def _tidy_ending(word: str) -> str:
    # A final "e" and a doubled consonant come and go with suffixes (scale/scaling,
    # drop/dropped): drop both so the forms meet.
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in _VOWELS and word[-1] != "s":
        word = word[:-1]
    return word


@cache
def stem(word: str) -> str:
    """A light stemmer: plural, then derivational and inflectional suffixes, until stable."""
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _strip_plural(word)
    for _ in range(3):
        shorter = _tidy_ending(_strip_suffix(word))
        if shorter == word:
            break
        word = shorter
    return word


def words(text: str) -> list[str]:
    """Lower-case ASCII words of the text, British spellings made American."""
    folded = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [spell_american(token) for token in _TOKEN.findall(plain)]


def _phrase_table(synonyms: Mapping[str, Sequence[str]]) -> dict[tuple[str, ...], str]:
    table: dict[tuple[str, ...], str] = {}
    for canonical, variants in synonyms.items():
        for phrase in (canonical, *variants):
            key = tuple(stem(w) for w in words(phrase))
            if key:
                table[key] = canonical
    return table


_PHRASES = _phrase_table(SYNONYMS)
_LONGEST_PHRASE = max(len(key) for key in _PHRASES)


def join_synonyms(tokens: Sequence[str]) -> list[tuple[str, bool]]:
    """Replace each synonym or abbreviation (longest match first) by its canonical term.

    `tokens` are stems; each result says whether it came from the synonym table.
    """
    joined: list[tuple[str, bool]] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_LONGEST_PHRASE, len(tokens) - i), 0, -1):
            canonical = _PHRASES.get(tuple(tokens[i : i + size]))
            if canonical is not None:
                joined.append((canonical, True))
                i += size
                break
        else:
            joined.append((tokens[i], False))
            i += 1
    return joined


def terms(text: str) -> list[str]:
    """The content terms of a text, in order, after every normalisation step."""
    raw = words(text)
    stems = [stem(w) for w in raw]
    # Stopwords are judged on the word as written and on its stem ("using" -> "us").
    dropped = {s for w, s in zip(raw, stems, strict=True) if w in STOPWORDS}
    return [
        term
        for term, from_table in join_synonyms(stems)
        if from_table or (term not in dropped and term not in STOPWORDS and len(term) > 1)
    ]
