"""What people are told about questions from the team: receipts, the review queue, decisions
and the private notes to authors."""

from __future__ import annotations

from bot.core.records import SuggestionRecord, SuggestionStatus
from bot.core.suggestions import AuthorNote
from bot.present.cards import Button, Card, Field, Intent, Section
from bot.present.daily import first_line
from bot.present.parts import Plain, Text, Who, text

SUGGEST_TITLE = "Suggest a question"
QUESTION_LABEL = "Question"
ANSWER_LABEL = "Reference answer (optional)"
KEY_POINTS_LABEL = "Key points, one per line (3 to 6, with an answer)"
PACK_LABEL = "Pack (optional)"
DIFFICULTY_LABEL = "Difficulty: easy, medium or hard"
REASON_LABEL = "Reason (optional, sent to the author)"
EDIT_TITLE = "Edit the suggestion"
REJECT_TITLE = "Reject the suggestion"
APPROVE = "Approve"
EDIT = "Edit"
REJECT = "Reject"
NOT_ADMIN = "Only admins of this space can review suggestions."
NONE_PENDING = "No suggestions are waiting for review."
SUGGEST_USAGE = (
    "Usage: /suggest QUESTION [| ANSWER | POINT; POINT; POINT | PACK | DIFFICULTY]"
)
DECIDE_USAGE = "Usage: /approve N, or /reject N [REASON]"


def short(question: str, limit: int = 80) -> str:
    line = first_line(question)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def receipt(record: SuggestionRecord) -> Text:
    return text(
        f"✓ Thanks! Your suggestion #{record.id} (“", Plain(short(record.fields.text)),
        "”) is waiting for an admin's review. You will hear privately when it is decided.",
    )  # fmt: skip


def _status(record: SuggestionRecord) -> Text:
    if record.status is SuggestionStatus.PENDING:
        return text("Waiting for review.")
    who = Who(record.decided_by or "", record.decided_by_name or record.decided_by or "")
    if record.status is SuggestionStatus.APPROVED:
        return text("✅ Approved by ", who, ": it joins the community pack.")
    reason = text(" Reason: ", Plain(record.reason)) if record.reason else ()
    return text("❌ Rejected by ", who, ".", reason)


def queue_card(record: SuggestionRecord) -> Card:
    """The review queue's message for one suggestion (buttons while it is pending)."""
    fields = record.fields
    body = [Section(fields.text)]
    if fields.answer:
        body.append(Section(fields.answer, heading="Reference answer"))
        points = tuple(text(Plain(p)) for p in fields.key_points)
        body.append(Section(heading="Key points", bullets=points))
    else:
        body.append(Section(heading="No reference answer: the thread would be the answer."))
    pending = record.status is SuggestionStatus.PENDING
    return Card(
        title=f"Suggested question #{record.id}",
        context=text("From ", Who(record.author_id, record.author_name)),
        body=tuple(body),
        fields=(
            Field("Pack", text(Plain(fields.pack or "community"))),
            Field("Difficulty", text(fields.difficulty.capitalize())),
        ),
        footer=_status(record),
        buttons=(
            Button(Intent.APPROVE, APPROVE, primary=True),
            Button(Intent.EDIT, EDIT),
            Button(Intent.REJECT, REJECT),
        )
        if pending
        else (),
    )


def decided(record: SuggestionRecord, now: bool) -> Text:
    """What the admin who clicked is told; `now` False: someone had decided before."""
    if now:
        return _status(record)
    who = Who(record.decided_by or "", record.decided_by_name or record.decided_by or "")
    return text(f"Suggestion #{record.id} was already {record.status.value} by ", who, ".")


def edited(record: SuggestionRecord) -> Text:
    return text(f"✓ Suggestion #{record.id} is updated; it still waits for a decision.")


def listing_line(record: SuggestionRecord) -> Text:
    return text(
        f"#{record.id} ", Who(record.author_id, record.author_name), ": ",
        Plain(short(record.fields.text)),
        " (no reference answer)" if not record.fields.answer else "",
    )  # fmt: skip


def note(note: AuthorNote) -> Text:
    """The private note to an author."""
    record = note.suggestion
    about = text("Your suggested question “", Plain(short(record.fields.text)), "”")
    if note.kind == "approved":
        return text("✅ ", about, " was approved: it joins the community pack.")
    if note.kind == "posted":
        return text("📣 ", about, " was just posted as the question of the day.")
    reason = text(" Reason: ", Plain(record.reason), "") if record.reason else ()
    return text("❌ ", about, " was not approved.", reason)
