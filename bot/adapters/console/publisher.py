"""The console's outbound side: rounds and reveals are printed to the terminal."""

from __future__ import annotations

from collections.abc import Callable

from bot.adapters.console import render
from bot.core.ports import PostedRef, RecapPost, RevealPost, RoundPost
from bot.present import daily
from bot.present import recap as recap_words

PLATFORM = "console"


class ConsolePublisher:
    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write

    async def post_round(self, post: RoundPost) -> PostedRef:
        self._write(
            render.round_post(
                post.question, post.pack_title, post.reveal_at, post.subscription.schedule.timezone
            )
        )
        if post.suggested_by:
            self._write(render.show(daily.credit(post.suggested_by)))
        # In the terminal the "thread" is the round itself.
        ref = f"round-{post.round.id}"
        return PostedRef(message_id=ref, thread_id=ref)

    async def post_reveal(self, reveal: RevealPost) -> None:
        self._write(render.reveal(reveal.question, reveal.answerers))
        names = {a.user_id: a.name for a in reveal.answerers}
        for user_id, result in reveal.feedback.items():
            self._write(render.feedback(result, f"Just for {names.get(user_id, user_id)}: "))
        if reveal.answerers:
            self._write("Answered it? Rate yourself with /rate again|hard|good|easy.")

    async def post_recap(self, recap: RecapPost) -> None:
        shown = [recap_words.title(recap), *(render.show(line) for line in recap_words.lines(recap))]
        if recap.most_missed is not None:
            shown.append(f"{recap_words.QUIZ_ME}: /quiz {recap.most_missed.id}")
        self._write("\n".join(render.fill(line) for line in shown))
