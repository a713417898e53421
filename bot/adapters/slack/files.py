"""Files the bot uploads (scope `files:write`): a person's Markdown export in their direct
messages with the bot (`im:write` opens it), and pictures, uploaded unshared and shown in an
`image` block of the reply (`slack_file`)."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.mrkdwn import escape
from bot.images import Picture
from bot.images.picture import content_key


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
        filename=filename, content=content, title=title, alt_txt=escape(alt_text)[:1000]
    )
    file: Any = done.get("file") or {}
    return str(file["id"])


def image_block(file_id: str, alt_text: str, title: str) -> dict[str, Any]:
    """Names in the text alternative are escaped like everywhere else: no `<!channel>` pings."""
    return {
        "type": "image",
        "slack_file": {"id": file_id},
        "alt_text": escape(alt_text)[:2000],
        "title": {"type": "plain_text", "text": escape(title)[:2000]},
    }


class UploadedPictures:
    """Pictures uploaded once each: a picture whose bytes were uploaded before is shown again
    from its file id (the drawing itself is cached by `adapters.pictures.Pictures`)."""

    def __init__(self, size: int = 64) -> None:
        self._ids: dict[str, str] = {}
        self._size = size

    async def block(
        self, client: AsyncWebClient, picture: Picture, *, filename: str, title: str
    ) -> dict[str, Any]:
        """An `image` block showing the picture, its text alternative as alt text."""
        key = content_key(picture.png)
        file_id = self._ids.get(key)
        if file_id is None:
            file_id = await upload_unshared(
                client, filename=filename, content=picture.png, title=title,
                alt_text=picture.alt_text,
            )  # fmt: skip
            if len(self._ids) >= self._size:
                self._ids.pop(next(iter(self._ids)))
            self._ids[key] = file_id
        return image_block(file_id, picture.alt_text, title)
