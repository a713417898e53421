"""The App Home: on `app_home_opened`, views.publish a person's Home tab (their streak per
channel, reviews due and a "Quiz me" button, their last feedback, their calendar)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.pictures import STREAK_FILE, Pictures
from bot.adapters.slack import files, render
from bot.adapters.slack.listeners.deps import Deps
from bot.adapters.slack.refs import PLATFORM
from bot.present import home as words

log = logging.getLogger(__name__)
HOME_QUIZ = "home_quiz"


def _section(value: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": value[:3000]}}


def register(app: AsyncApp, deps: Deps) -> None:
    engine = deps.engine
    drawn, uploaded = Pictures(), files.UploadedPictures()

    async def publish(client: AsyncWebClient, team: str, user: str) -> None:
        view = await engine.home(PLATFORM, team, user)
        mention = {c.subscription.id: f"<#{c.subscription.channel.channel_id}>" for c in view.streaks}
        timezone = view.streaks[0].subscription.schedule.timezone if view.streaks else "UTC"
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": words.HOME_TITLE}},
            _section("\n".join(render.show(line) for line in words.streak_lines(view, mention))),
            _section(render.show(words.reviews_line(view))),
            {"type": "actions", "elements": [{
                "type": "button", "action_id": HOME_QUIZ, "style": "primary",
                "text": {"type": "plain_text", "text": words.QUIZ_ME}, "value": "quiz",
            }]},
            _section("\n".join(
                render.show(line)
                for line in words.feedback_lines(view.feedback, view.feedback_question, timezone)
            )),
        ]  # fmt: skip
        if view.streaks:
            channel = view.streaks[0].subscription.channel
            picture = await drawn.streak(engine, channel, user)
            if picture is not None:
                try:
                    blocks.append(await uploaded.block(
                        client, picture, filename=STREAK_FILE, title=words.CALENDAR_TITLE
                    ))  # fmt: skip
                except Exception:
                    log.exception("could not upload the home calendar")
        await client.views_publish(user_id=user, view={"type": "home", "blocks": blocks})

    async def home_opened(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        await publish(client, str(body.get("team_id") or ""), str(event["user"]))

    async def home_quiz(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        """No response_url from a Home tab: the quiz card goes to the person's DMs."""
        await ack()
        user = body["user"]["id"]
        card = await engine.quiz(PLATFORM, user)
        message = render.quiz_card(card)
        await client.chat_postMessage(channel=user, text=message.text, blocks=message.blocks)

    app.event("app_home_opened")(home_opened)
    app.action(HOME_QUIZ)(home_quiz)
