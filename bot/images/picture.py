"""What every picture comes back as, and the cache that keeps one until its data changes."""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.images.draw import Box


@dataclass(frozen=True)
class Picture:
    png: bytes
    alt_text: str  # the same information as text: for screen readers, and where images fail
    width: int
    height: int
    text_boxes: tuple[Box, ...]  # where text was drawn (tests: all of it inside the image)


D = TypeVar("D")


def content_key(data: object) -> str:
    """A hash of a picture's data: frozen dataclasses of plain values repr the same when equal."""
    return hashlib.sha256(repr(data).encode()).hexdigest()


class PictureCache(Generic[D]):
    """The last few pictures of one kind, keyed by a hash of their data: a board that has not
    changed is not drawn again. Drawing runs in a worker thread, off the event loop."""

    def __init__(self, render: Callable[[D], Picture], size: int = 32) -> None:
        self._render = render
        self._size = size
        self._pictures: OrderedDict[str, Picture] = OrderedDict()

    def __len__(self) -> int:
        return len(self._pictures)

    async def get(self, data: D) -> Picture:
        key = content_key(data)
        picture = self._pictures.get(key)
        if picture is None:
            picture = await asyncio.to_thread(self._render, data)
            self._pictures[key] = picture
            if len(self._pictures) > self._size:
                self._pictures.popitem(last=False)
        else:
            self._pictures.move_to_end(key)
        return picture
