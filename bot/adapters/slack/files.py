"""Files the bot uploads (scope `files:write`): a person's Markdown export in their direct
messages with the bot (`im:write` opens it), and pictures, uploaded unshared and shown in an
`image` block of the reply (`slack_file`)."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient


async def send_to_person(
    client: AsyncWebClient, user_id: str, *, filename: str, content: bytes, title: str, note: str
) -> None:
    """Upload a file into the person's direct messages with the bot, with a note."""
    opened = await client.conversations_open(users=user_id)
    channel = str(opened["channel"]["id"])
    await client.files_upload_v2(
        channel=channel, filename=filename, content=content, title=title, initial_comment=note
    )


async def upload_unshared(
    client: AsyncWebClient, *, filename: str, content: bytes, title: str, alt_text: str
) -> str:
    """Upload a file shared in no channel (for an `image` block); its file id."""
    done = await client.files_upload_v2(
        filename=filename, content=content, title=title, alt_txt=alt_text[:1000]
    )
    file: Any = done.get("file") or {}
    return str(file["id"])


def image_block(file_id: str, alt_text: str, title: str) -> dict[str, Any]:
    return {
        "type": "image",
        "slack_file": {"id": file_id},
        "alt_text": alt_text[:2000],
        "title": {"type": "plain_text", "text": title[:2000]},
    }
