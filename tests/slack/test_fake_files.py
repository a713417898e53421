"""The fake's file uploads and views.publish refuse what Slack documents it refuses."""

from __future__ import annotations

import aiohttp

from tests.slack.fake_slack import BOT_TOKEN, FakeSlack


async def _call(fake: FakeSlack, method: str, **params: object) -> dict[str, object]:
    async with aiohttp.ClientSession() as session, session.post(
        f"{fake.api_url}{method}", json=params,
        headers={"Authorization": f"Bearer {BOT_TOKEN}"},
    ) as response:  # fmt: skip
        answer: dict[str, object] = await response.json()
        return answer


async def test_uploads_and_home_views_keep_slack_limits() -> None:
    fake = FakeSlack()
    await fake.start()
    try:
        fake.add_user("U1", "Ann")
        assert (await _call(fake, "files.getUploadURLExternal", filename="a.md", length=0))[
            "error"
        ] == "invalid_length"
        too_long = "x" * 1001
        refused = await _call(
            fake, "files.getUploadURLExternal", filename="a.png", length=3, alt_txt=too_long
        )
        assert refused["error"] == "invalid_arguments"
        got = await _call(fake, "files.getUploadURLExternal", filename="a.md", length=3)
        file_id = str(got["file_id"])
        not_yet = await _call(fake, "files.completeUploadExternal", files=[{"id": file_id}])
        assert not_yet["error"] == "file_not_found"  # nothing uploaded to its URL yet
        async with (
            aiohttp.ClientSession() as session,
            session.post(str(got["upload_url"]), data=b"abcd") as response,
        ):
            assert response.status == 200
        mismatch = await _call(fake, "files.completeUploadExternal", files=[{"id": file_id}])
        assert mismatch["error"] == "file_upload_size_mismatch"

        blocks = [{"type": "divider"}] * 101
        many = await _call(fake, "views.publish", user_id="U1", view={"type": "home", "blocks": blocks})
        assert many["error"] == "invalid_blocks"
        modal = await _call(fake, "views.publish", user_id="U1", view={"type": "modal", "blocks": []})
        assert modal["error"] == "invalid_arguments"
        ghost = {"type": "image", "slack_file": {"id": "Fnope"}, "alt_text": "x"}
        missing = await _call(
            fake, "views.publish", user_id="U1", view={"type": "home", "blocks": [ghost]}
        )
        assert missing["error"] == "invalid_blocks"
        ok = await _call(fake, "views.publish", user_id="U1", view={"type": "home", "blocks": []})
        assert ok["ok"] is True and fake.homes["U1"]["type"] == "home"
    finally:
        await fake.close()
