"""The development set, and the checks tuned on it: subjects of opposites, shared vocabulary,
negations, ML synonyms, reference sentences as phrasings."""

from __future__ import annotations

import asyncio

import pytest

from bot.bank.loader import load_bank
from bot.grading import LexicalGrader
from bot.grading.claims import term_weights
from bot.grading.contradiction import contradiction
from bot.grading.evaluate import grade_all, main, tally, wrong_mechanism_credited
from bot.grading.labelled import (
    DEFAULT_DATA,
    DEV_DATA,
    HELDOUT_DATA,
    WRONG_MECHANISM,
    LabelledAnswer,
    load_labelled,
)
from bot.grading.text import terms
from bot.paths import default_questions_dir

# Regression floors on the development set, a little below what the lexical grader measures
# there (F1 0.70, 26 of 68 wrong-mechanism pairs credited; it was 0.67 and 50 of 68 before the
# checks below). The set is tuned on, so these guard the checks, they do not prove them.
DEV_F1_FLOOR = 0.68
DEV_WRONG_CREDITED_CEILING = 0.45

SARSA = "SARSA's target uses the next action actually chosen by the behaviour policy, so it learns the value of the exploring policy and is on-policy."
EXACT = "The acceptance rule plus residual sampling makes each emitted token distributed exactly as p, so output quality is unchanged."
CALIBRATION = "The classification is often good even when the assumption is false, but the predicted probabilities are pushed towards 0 and 1 and are poorly calibrated."


@pytest.fixture(scope="module")
def dev() -> list[LabelledAnswer]:
    return load_labelled(DEV_DATA, load_bank(default_questions_dir()))


def test_the_dev_set_is_on_questions_of_its_own_and_has_every_kind(
    dev: list[LabelledAnswer],
) -> None:
    bank = load_bank(default_questions_dir())
    others = {
        a.question_id for path in (DEFAULT_DATA, HELDOUT_DATA) for a in load_labelled(path, bank)
    }
    questions = {a.question_id for a in dev}
    assert 10 <= len(questions) <= 12 and not questions & others
    assert 90 <= len(dev) <= 110 and len({a.text for a in dev}) == len(dev)
    kinds = {a.kind for a in dev}
    assert {
        WRONG_MECHANISM,
        "example-only",
        "no-claim",
        "one-liner",
        "paraphrase",
        "terse",
    } <= kinds
    assert sum(a.kind == WRONG_MECHANISM for a in dev) >= 30
    for answer in dev:
        if answer.kind == WRONG_MECHANISM:
            assert answer.contradicts, answer.text
        if answer.kind == "no-claim":
            assert not answer.covers and len(answer.text) > 300, answer.text


def test_lexical_figures_on_the_dev_set_do_not_regress(dev: list[LabelledAnswer]) -> None:
    graded = asyncio.run(grade_all(LexicalGrader(), dev))
    result = tally(graded)
    assert result.f1 is not None and result.f1 >= DEV_F1_FLOOR, result
    credited, total = wrong_mechanism_credited(graded)
    assert total >= 60 and credited <= DEV_WRONG_CREDITED_CEILING * total


@pytest.mark.parametrize("flags", [["--tuning"], ["--sweep", "--errors"]])
def test_tuning_aids_never_show_the_heldout_set(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--grader", "lexical", *flags]) == 0
    out = capsys.readouterr().out
    assert HELDOUT_DATA.name not in out
    assert DEV_DATA.name in out and f"{DEFAULT_DATA.name}:" in out
    if "--sweep" in flags:
        assert "dev and first sets together:" in out and "threshold" in out
    if "--errors" in flags:
        assert "\nFP " in out and "\nFN " in out


# --- the checks -------------------------------------------------------------------------------


def test_a_swapped_role_is_judged_by_the_clause_about_the_same_subject() -> None:
    swapped = (
        "SARSA is off-policy because it uses the next action from a separate target policy, "
        "while Q-learning is on-policy."
    )
    assert contradiction(SARSA, swapped) is not None
    assert contradiction(SARSA, "SARSA is on-policy, while Q-learning is off-policy.") is None


async def test_a_wrong_mechanism_sentence_is_not_credited() -> None:
    answer = (
        "SARSA is off-policy because it uses the next action from a separate target policy, "
        "while Q-learning is on-policy."
    )
    (verdict,) = (await LexicalGrader().grade([SARSA], answer)).verdicts
    assert verdict.status == "contradicted" and "SARSA is off-policy" in verdict.evidence


@pytest.mark.parametrize(
    ("answer", "contradicts"),
    [
        ("SARSA isn't off-policy: it bootstraps from the action the policy takes next.", False),
        ("SARSA can't be on-policy, since it bootstraps from a target policy.", True),
        ("The predicted probabilities of naive Bayes are well calibrated.", True),
        ("NB probabilities are not well calibrated, they sit near 0 and 1.", False),
    ],
)
def test_a_negation_flips_the_pole_it_precedes(answer: str, contradicts: bool) -> None:
    point = SARSA if "SARSA" in answer else CALIBRATION
    assert (contradiction(point, answer) is not None) is contradicts


def test_a_pole_without_a_subject_in_its_clause_takes_its_sentences() -> None:
    answer = "It's an approximation: the output is close to the target model's but not identical."
    assert contradiction(EXACT, answer) is not None


async def test_a_paraphrase_of_a_reference_sentence_is_credited() -> None:
    question = load_bank(default_questions_dir()).get("classic-decision-trees")
    assert question is not None
    answer = "Grown all the way down, every leaf ends up pure and training error is near zero."
    grader = LexicalGrader()
    with_reference = await grader.grade(question.key_points, answer, question.answer)
    without = await grader.grade(question.key_points, answer)
    assert with_reference.verdicts[3].covered and not without.verdicts[3].covered
    assert with_reference.covered == [question.key_points[3]]


def test_vocabulary_every_key_point_shares_weighs_little() -> None:
    points = [f"Batch norm {word} the activations." for word in ("scales", "shifts", "centres")]
    points += ["Batch norm needs batches.", "Batch norm has running stats.", "Batch norm is old."]
    weights = term_weights(points)
    assert weights["batchnorm"] < weights["shift"] / 6


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("the optimizer states are sharded", "the optimiser states are partitioned"),
        ("a skip connection", "a residual connection"),
        ("plain DDP", "plain data parallelism"),
        ("the FFN block", "the feed-forward block"),
        ("IoU above 0.5", "intersection over union above 0.5"),
        ("bfloat16 weights", "bf16 weights"),
        ("Q-learning", "q learning"),
    ],
)
def test_ml_synonyms_meet(one: str, other: str) -> None:
    assert terms(one) == terms(other)
