"""Block Kit for questions from the team: the suggestion modal (also the admin's edit), the
reject modal, and the review queue's message."""

from __future__ import annotations

import json
from typing import Any

from bot.adapters.slack.blocks import (
    MODAL_TEXT_LIMIT,
    Block,
    Message,
    context_block,
    header_block,
    section_blocks,
)
from bot.adapters.slack.mrkdwn import truncate
from bot.adapters.slack.render import _body, show
from bot.core.records import SuggestionFields, SuggestionRecord
from bot.core.suggestions import MAX_REASON_CHARS
from bot.present import suggestions as words
from bot.present.cards import Intent

SUGGEST_MODAL = "practicebot_suggest"  # callback id: a member's suggestion
EDIT_MODAL = "practicebot_suggestion_edit"  # callback id: an admin's edit
REJECT_MODAL = "practicebot_suggestion_reject"
APPROVE_ACTION = "practicebot_suggestion_approve"
EDIT_ACTION = "practicebot_suggestion_edit"
REJECT_ACTION = "practicebot_suggestion_reject"
ACTIONS = {Intent.APPROVE: APPROVE_ACTION, Intent.EDIT: EDIT_ACTION, Intent.REJECT: REJECT_ACTION}
QUESTION, ANSWER, KEY_POINTS, PACK, DIFFICULTY, REASON = (
    "question", "answer", "key_points", "pack", "difficulty", "reason",
)  # fmt: skip
INPUT = "value"  # every input's action id


def _input(block_id: str, label: str, value: str = "", *, optional: bool = True,
           multiline: bool = False, most: int = MODAL_TEXT_LIMIT) -> Block:  # fmt: skip
    element: Block = {
        "type": "plain_text_input", "action_id": INPUT, "multiline": multiline,
        "max_length": most,
    }  # fmt: skip
    if value:
        element["initial_value"] = value
    return {
        "type": "input", "block_id": block_id, "optional": optional,
        "label": {"type": "plain_text", "text": label}, "element": element,
    }  # fmt: skip


def suggestion_modal(metadata: dict[str, Any], fields: SuggestionFields | None = None,
                     *, edit: bool = False) -> Block:  # fmt: skip
    """The fields of a suggestion, empty for a member, filled in for an admin's edit."""
    f = fields or SuggestionFields("")
    return {
        "type": "modal",
        "callback_id": EDIT_MODAL if edit else SUGGEST_MODAL,
        "title": {"type": "plain_text", "text": "Edit" if edit else "Suggest"},
        "submit": {"type": "plain_text", "text": "Save" if edit else "Send"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(metadata),
        "blocks": [
            _input(QUESTION, words.QUESTION_LABEL, f.text, optional=False, multiline=True),
            _input(ANSWER, words.ANSWER_LABEL, f.answer, multiline=True),
            _input(KEY_POINTS, words.KEY_POINTS_LABEL, "\n".join(f.key_points), multiline=True),
            _input(PACK, words.PACK_LABEL, f.pack or "", most=40),
            _input(DIFFICULTY, words.DIFFICULTY_LABEL, f.difficulty if fields else "", most=10),
        ],
    }


def reject_modal(suggestion_id: int) -> Block:
    return {
        "type": "modal",
        "callback_id": REJECT_MODAL,
        "title": {"type": "plain_text", "text": "Reject"},
        "submit": {"type": "plain_text", "text": "Reject"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps({"suggestion": suggestion_id}),
        "blocks": [_input(REASON, words.REASON_LABEL, multiline=True, most=MAX_REASON_CHARS)],
    }


def typed(view: dict[str, Any], block_id: str) -> str:
    values = view.get("state", {}).get("values", {})
    return str(values.get(block_id, {}).get(INPUT, {}).get("value") or "")


def queue_message(record: SuggestionRecord) -> Message:
    card = words.queue_card(record)
    blocks = [
        header_block(card.title),
        context_block(show(card.context)),
        *_body(card.body, verbatim=True),
        context_block(" · ".join(f"*{f.name}:* {show(f.value)}" for f in card.fields)),
        *section_blocks(show(card.footer)),
    ]
    if card.buttons:
        elements = []
        for button in card.buttons:
            element: Block = {
                "type": "button", "action_id": ACTIONS[button.intent],
                "text": {"type": "plain_text", "text": button.label}, "value": str(record.id),
            }  # fmt: skip
            if button.primary:
                element["style"] = "primary"
            elements.append(element)
        blocks.append({"type": "actions", "elements": elements})
    return Message(truncate(f"{card.title}: {words.short(record.fields.text)}", 300), blocks)
