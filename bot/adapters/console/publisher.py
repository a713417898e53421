"""The console's outbound side: rounds and reveals are printed to the terminal."""

from __future__ import annotations

from collections.abc import Callable

from bot.adapters.console import render
from bot.core.ports import FeedbackPost, NoticePost, PostedRef, RecapPost, RevealPost, RoundPost
from bot.present import admin, daily
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
        if reveal.answerers:
            self._write("Answered it? Rate yourself with /rate again|hard|good|easy.")

    async def send_feedback(self, post: FeedbackPost) -> PostedRef:
        self._write(render.feedback(post.feedback, f"Just for {post.name}: "))
        ref = f"feedback-{post.round.id}-{post.user_id}"
        return PostedRef(message_id=ref, thread_id=f"round-{post.round.id}")

    async def send_notice(self, notice: NoticePost) -> PostedRef:
        channel = f"#{notice.subscription.channel.channel_id}"
        words = admin.problem_notice((channel,), notice.problem, paused=notice.paused)
        self._write(render.fill(render.show(words)))
        return PostedRef(message_id=f"notice-{notice.delivery_id}", thread_id="")

    async def post_recap(self, recap: RecapPost) -> PostedRef:
        shown = [recap_words.title(recap), *(render.show(line) for line in recap_words.lines(recap))]
        if recap.most_missed is not None:
            shown.append(f"{recap_words.QUIZ_ME}: /quiz {recap.most_missed.id}")
        self._write("\n".join(render.fill(line) for line in shown))
        return PostedRef(message_id=f"recap-{recap.delivery_id}", thread_id="")
