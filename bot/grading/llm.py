"""The `llm` grader: a team's own model endpoint judges the answer, the local grader stands by.

It calls an OpenAI-compatible chat completions API (a local Ollama or vLLM server, or a hosted
API) set by PRACTICEBOT_LLM_URL, PRACTICEBOT_LLM_MODEL and PRACTICEBOT_LLM_KEY. The prompt states
the labelling rule of tests/data/graded_answers.yaml, and the model must answer with JSON: for
each key point a verdict and the words of the answer that show it. The reply is checked: every
key point judged once, and every quote really in the answer (a model that invents evidence is
not believed). On any failure (no reply within the timeout, an HTTP error, a refusal, malformed
or invented output) the local grader's feedback is returned instead, so a reveal never waits
longer than the timeout and never loses its feedback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.grading.base import Feedback, Grader, KeyPointVerdict

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 6.0  # seconds for the whole exchange; then the local grader answers
VERDICTS = ("covered", "missed", "contradicted")

RULE = """You grade a written answer to an interview question against its key points.
A key point counts as covered when the answer states its central claim (the mechanism or fact
the key point is about), even if a secondary detail is missing. Naming a technique without
saying what it does does not count. A wrong version of the idea does not count: when the answer
states the opposite or a wrong mechanism (swapped roles, a negation, a wrong definition), the
key point is contradicted. Where a key point joins two claims, the answer must carry the one that
makes the point. Judge only what the answer asserts, not what it is about.

Reply with JSON only, in this shape:
{"points": [{"index": 0, "verdict": "covered", "evidence": "exact words from the answer"}]}
One entry per key point. verdict is "covered", "missed" or "contradicted". For "covered" and
"contradicted", evidence is a short exact quote from the answer; for "missed" it is ""."""


class LlmError(RuntimeError):
    """The endpoint's reply cannot be used; str() says why (never the key)."""


@dataclass(frozen=True)
class LlmSettings:
    url: str  # base URL of the API, e.g. http://localhost:11434/v1
    model: str
    key: str = ""
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LlmSettings | None:
        """The settings when PRACTICEBOT_LLM_URL and PRACTICEBOT_LLM_MODEL are set, else None."""
        url, model = env.get("PRACTICEBOT_LLM_URL", ""), env.get("PRACTICEBOT_LLM_MODEL", "")
        if not url or not model:
            return None
        timeout = float(env.get("PRACTICEBOT_LLM_TIMEOUT", "") or DEFAULT_TIMEOUT)
        return cls(url.rstrip("/"), model, env.get("PRACTICEBOT_LLM_KEY", ""), timeout)

    def __repr__(self) -> str:  # the key stays out of logs and tracebacks
        return f"LlmSettings(url={self.url!r}, model={self.model!r}, timeout={self.timeout})"


class LlmGrader:
    name = "llm"

    def __init__(self, settings: LlmSettings, fallback: Grader) -> None:
        self.settings = settings
        self.fallback = fallback

    async def grade(self, key_points: Sequence[str], answer: str, reference: str = "") -> Feedback:
        if not key_points or not answer.strip():
            return await self.fallback.grade(key_points, answer, reference)
        try:
            reply = await asyncio.wait_for(
                self._ask(key_points, answer), timeout=self.settings.timeout
            )
            return parse_reply(reply, key_points, answer)
        except TimeoutError:
            log.warning(
                "llm grader: no reply within %.1fs; local grader used", self.settings.timeout
            )
        except Exception as error:  # any failure costs only the model's opinion
            log.warning("llm grader: %s; local grader used", _describe(error))
        return await self.fallback.grade(key_points, answer, reference)

    async def _ask(self, key_points: Sequence[str], answer: str) -> str:
        import aiohttp  # the [slack] extra ships it; imported here so the core does not need it

        points = "\n".join(f"{i}. {p}" for i, p in enumerate(key_points))
        body = {
            "model": self.settings.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": RULE},
                {"role": "user", "content": f"Key points:\n{points}\n\nAnswer:\n{answer}"},
            ],
        }
        headers = {"Authorization": f"Bearer {self.settings.key}"} if self.settings.key else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{self.settings.url}/chat/completions", json=body, headers=headers
            ) as response,
        ):
            if response.status != 200:
                raise LlmError(f"HTTP {response.status} from the endpoint")
            payload: Any = await response.json(content_type=None)
        try:
            message = payload["choices"][0]["message"]
        except (KeyError, IndexError, TypeError) as error:
            raise LlmError("the reply has no choices[0].message") from error
        if message.get("refusal"):
            raise LlmError("the model refused")
        content = message.get("content")
        if not isinstance(content, str):
            raise LlmError("the reply has no text content")
        return content


def parse_reply(content: str, key_points: Sequence[str], answer: str) -> Feedback:
    """The model's JSON as feedback; LlmError unless every point is judged once with real quotes."""
    try:
        document: Any = json.loads(_strip_fence(content))
    except json.JSONDecodeError as error:
        raise LlmError("the reply is not JSON (a refusal or prose?)") from error
    entries = document.get("points") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise LlmError("the reply has no 'points' list")
    judged: dict[int, KeyPointVerdict] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise LlmError("a point is not an object")
        index, verdict, evidence = entry.get("index"), entry.get("verdict"), entry.get("evidence")
        if not isinstance(index, int) or not 0 <= index < len(key_points) or index in judged:
            raise LlmError(f"bad or repeated key point index {index!r}")
        if verdict not in VERDICTS or not isinstance(evidence, str):
            raise LlmError(f"bad verdict for key point {index}")
        if verdict != "missed" and not quoted_in(evidence, answer):
            raise LlmError(f"the evidence for key point {index} is not in the answer")
        covered = verdict == "covered"
        judged[index] = KeyPointVerdict(
            key_points[index],
            covered,
            1.0 if covered else 0.0,
            contradicted=verdict == "contradicted",
            evidence=evidence if verdict != "missed" else "",
        )
    if len(judged) != len(key_points):
        raise LlmError(f"{len(key_points) - len(judged)} key point(s) not judged")
    return Feedback.from_verdicts([judged[i] for i in range(len(key_points))])


def quoted_in(evidence: str, answer: str) -> bool:
    """Whether the quote occurs in the answer, ignoring case, spacing and punctuation."""
    quote = _plain(evidence)
    return len(quote) >= 3 and quote in _plain(answer)


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _strip_fence(content: str) -> str:
    # Many models wrap JSON in a Markdown fence even when asked not to.
    fenced = re.fullmatch(r"\s*```(?:json)?\s*(.*?)\s*```\s*", content, re.DOTALL)
    return fenced.group(1) if fenced else content


def _describe(error: BaseException) -> str:
    # The error's type and message; aiohttp's messages name the URL but never the headers.
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
