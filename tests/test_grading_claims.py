"""Grading the claim: central claims, reference phrasings, contradictions, the held-out set."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from bot.bank.loader import load_bank
from bot.grading import LexicalGrader
from bot.grading.base import KeyPointVerdict
from bot.grading.claims import claim_of, phrasings
from bot.grading.contradiction import contradiction
from bot.grading.evaluate import grade_all, main, tally, wrong_mechanism_credited
from bot.grading.labelled import (
    DEFAULT_DATA,
    DEV_DATA,
    HELDOUT_DATA,
    WRONG_MECHANISM,
    KeyPointsChanged,
    LabelledAnswer,
    load_labelled,
)
from bot.paths import default_questions_dir
from bot.present.daily import gap

# Regression floors on the held-out set, far below the targets: measured F1 0.71 and
# 36% of wrong-mechanism pairs credited (see the README), after the set was relabelled against
# the bank's one-claim key points. Nothing is tuned to these.
HELDOUT_F1_FLOOR = 0.69
HELDOUT_WRONG_CREDITED_CEILING = 0.42

KV = "Prefill processes the prompt in parallel and is compute-bound, while decode reads all weights and the KV cache for each token and is memory-bandwidth-bound."
KMEANS = "It converges only to a local optimum, so k-means++ initialisation and several restarts are used."
FLASH = "Sparse and linear attention cut the quadratic cost in sequence length but usually lose some quality, while FlashAttention is an exact, memory-efficient implementation rather than an approximation."


@pytest.fixture(scope="module")
def heldout() -> list[LabelledAnswer]:
    return load_labelled(HELDOUT_DATA, load_bank(default_questions_dir()))


def test_a_key_points_claim_is_its_first_clause() -> None:
    assert claim_of(KMEANS) == "It converges only to a local optimum"
    assert claim_of("Dropout zeroes units.") == "Dropout zeroes units."


def test_reference_sentences_become_phrasings_of_the_point_they_make() -> None:
    question = load_bank(default_questions_dir()).get("classic-kmeans-limits")
    assert question is not None
    ways = phrasings(question.key_points, question.answer)
    assert [w.source for w in ways[1][:2]] == ["point", "claim"]
    restarts = [w.text for w in ways[1] if w.source == "reference"]
    assert any("k-means++" in text for text in restarts), restarts


@pytest.mark.parametrize(
    ("point", "answer"),
    [
        (KV, "decoding is compute-bound, prefill is memory-bound"),
        (KV, "Prefill is memory-bound because it reads the prompt, and decode is compute-bound."),
        (KMEANS, "k-means is guaranteed to find the global optimum"),
        (FLASH, "FlashAttention is an approximate attention that uses hashing"),
    ],
)
def test_swapped_roles_and_wrong_versions_are_contradictions(point: str, answer: str) -> None:
    assert contradiction(point, answer) is not None


@pytest.mark.parametrize(
    ("point", "answer"),
    [
        (KV, "Decode is memory bound: ~1 flop per byte. Prefill saturates the tensor cores."),
        (KMEANS, "k-means is not guaranteed to find the global optimum, so restart it"),
        (KMEANS, "k-means doesn't reach the global optimum in general"),
        (FLASH, "FlashAttention is exact. Linformer approximations cut the cost."),
        (KMEANS, "nothing about optima here"),
    ],
)
def test_agreeing_or_unrelated_answers_are_not_contradictions(point: str, answer: str) -> None:
    assert contradiction(point, answer) is None


async def test_a_contradicted_point_is_never_covered_and_is_quoted() -> None:
    answer = "k-means converges quickly and it is guaranteed to find the global optimum."
    feedback = await LexicalGrader().grade([KMEANS], answer)
    (verdict,) = feedback.verdicts
    assert (verdict.status, verdict.covered) == ("contradicted", False)
    assert "global optimum" in verdict.evidence
    assert feedback.contradicted == [KMEANS] and feedback.missed == [KMEANS]


async def test_a_covered_point_quotes_the_answer_and_a_missed_one_the_reference() -> None:
    question = load_bank(default_questions_dir()).get("classic-kmeans-limits")
    assert question is not None
    answer = "Nothing moves after a while. It only gets to a local optimum, so restart it often."
    feedback = await LexicalGrader().grade(question.key_points, answer, question.answer)
    covered = feedback.verdicts[1]
    assert covered.status == "covered" and "local optimum" in covered.evidence
    missed = feedback.verdicts[3]
    assert missed.status == "missed" and missed.reference and missed.reference in question.answer


def test_feedback_wording_for_gaps() -> None:
    missed = KeyPointVerdict("Point A.", False, 0.0, reference="The reference says A.")
    assert gap(missed) == "Missed: Point A. The reference answer: “The reference says A.”"
    assert gap(KeyPointVerdict("Point A.", False, 0.0)) == "Missed: Point A."
    against = KeyPointVerdict("Point A.", False, 0.0, True, "I wrote not-A.")
    assert gap(against) == "Your answer says the opposite of: Point A. You wrote: “I wrote not-A.”"
    assert gap(KeyPointVerdict("P", False, 0.0, reference="x" * 500)).endswith("…”")


# --- the held-out set -------------------------------------------------------------------------


def test_the_heldout_set_is_on_other_questions_and_has_every_kind(
    heldout: list[LabelledAnswer],
) -> None:
    first = load_labelled(DEFAULT_DATA, load_bank(default_questions_dir()))
    questions = {a.question_id for a in heldout}
    assert len(questions) >= 10 and not questions & {a.question_id for a in first}
    for question_id in questions:
        assert sum(a.question_id == question_id for a in heldout) >= 9
    kinds = {a.kind for a in heldout}
    assert {WRONG_MECHANISM, "example-only", "no-claim", "one-liner", "paraphrase"} <= kinds
    for answer in heldout:
        assert not answer.covers & answer.contradicts
        if answer.kind == WRONG_MECHANISM:
            assert answer.contradicts, answer.text
    assert len({a.text for a in heldout}) == len(heldout)


def test_a_changed_key_point_fails_the_heldout_set_loudly(tmp_path: Path) -> None:
    document = yaml.safe_load(HELDOUT_DATA.read_text(encoding="utf-8"))
    document["questions"][0]["key_points"][1] = "A reworded key point."
    data = tmp_path / "heldout.yaml"
    data.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(KeyPointsChanged, match=document["questions"][0]["id"]):
        load_labelled(data, load_bank(default_questions_dir()))


def test_lexical_figures_on_the_heldout_set_do_not_regress(heldout: list[LabelledAnswer]) -> None:
    graded = asyncio.run(grade_all(LexicalGrader(), heldout))
    result = tally(graded)
    assert result.f1 is not None and result.f1 >= HELDOUT_F1_FLOOR, result
    credited, total = wrong_mechanism_credited(graded)
    assert total >= 25 and credited <= HELDOUT_WRONG_CREDITED_CEILING * total


def test_evaluate_reports_heldout_then_dev_then_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--grader", "lexical"]) == 0
    out = capsys.readouterr().out
    held_out, dev, first = (out.index(f"{p.name}:") for p in (HELDOUT_DATA, DEV_DATA, DEFAULT_DATA))
    assert held_out < dev < first
    assert "wrong-mechanism pairs credited:" in out and "~wrong-mechanism" in out
