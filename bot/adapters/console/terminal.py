"""The terminal's two sides: lines typed in, text printed out.

On a TTY lines are read with `input()` (readline's editing and history where Python has it)
in a daemon thread, one line each time the session asks for one; whatever prints while a
line is half-typed (a scheduled post, a reveal) clears the prompt line, prints, and redraws
the prompt with the typed text. In a pipe, lines are read as bytes and decoded one by one,
so a line that is not UTF-8 is reported instead of ending the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TextIO

try:  # not on every platform; input() then still works, without editing keys
    import readline
except ImportError:  # pragma: no cover
    readline = None  # type: ignore[assignment]


@dataclass(frozen=True)
class NotText:
    """A line that could not be read as text (not valid UTF-8)."""


NOT_TEXT = NotText()
Line = str | NotText | None  # None: the end of input (Ctrl-D, Ctrl-C, end of the pipe)
_Put = Callable[[Line], None]

# Escape sequences (arrow keys without readline, pasted colours), then every other control
# character: none of them belongs in an answer. A tab is a space.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def clean_line(text: str) -> str:
    """What a typed line says, without its line ending, control characters or escapes."""
    text = text.rstrip("\r\n")
    return _CONTROLS.sub("", _ESCAPES.sub("", text)).replace("\t", " ")


class Terminal:
    """Lines in, text out. `interactive`: a person at a TTY (prompts, redraws)."""

    def __init__(self, stdin: TextIO, out: TextIO, *, interactive: bool) -> None:
        self._stdin = stdin
        self._out = out
        self.interactive = interactive
        self._lines: asyncio.Queue[Line] = asyncio.Queue()
        self._prompts: queue.Queue[str] = queue.Queue()
        self._prompt: str | None = None  # shown and waiting for a line
        self._lock = threading.Lock()
        self._started = False

    def write(self, text: str) -> None:
        with self._lock:
            if self._prompt is None:
                self._out.write(text + "\n")
            else:  # print above the half-typed line, then draw it again
                typed = readline.get_line_buffer() if readline is not None else ""
                self._out.write("\r\x1b[2K" + text + "\n" + self._prompt + typed)
            self._out.flush()

    def end_line(self) -> None:
        """After Ctrl-C or Ctrl-D at a prompt: move off the prompt's line."""
        with self._lock:
            self._prompt = None
            self._out.write("\n")
            self._out.flush()

    def stop(self) -> None:
        """End of input from outside (a stop signal)."""
        self._lines.put_nowait(None)

    async def read(self, prompt: str) -> Line:
        """The next line; `prompt` is shown first on a TTY."""
        if not self._started:
            self._start()
        if self.interactive:
            with self._lock:
                self._prompt = prompt
            self._prompts.put(prompt)
        line = await self._lines.get()
        with self._lock:
            self._prompt = None
        return line

    def _start(self) -> None:
        self._started = True
        loop = asyncio.get_running_loop()

        def put(line: Line) -> None:
            loop.call_soon_threadsafe(self._lines.put_nowait, line)

        target = self._ask_lines if self.interactive else self._pipe_lines
        threading.Thread(target=target, args=(put,), name="console-stdin", daemon=True).start()

    def _ask_lines(self, put: _Put) -> None:
        while True:
            prompt = self._prompts.get()
            try:
                put(input(prompt))
            except UnicodeDecodeError:
                put(NOT_TEXT)
            except (EOFError, KeyboardInterrupt, OSError):
                put(None)
                return

    def _pipe_lines(self, put: _Put) -> None:
        raw = getattr(self._stdin, "buffer", None)
        if raw is None:  # a text stream without bytes (tests): it is text already
            for line in self._stdin:
                put(line)
        else:
            for data in raw:
                try:
                    put(data.decode("utf-8"))
                except UnicodeDecodeError:
                    put(NOT_TEXT)
        put(None)


@contextlib.contextmanager
def terminal_settings_kept(stdin: TextIO) -> Iterator[None]:
    """Give the terminal back as it was, even when the session ends inside readline."""
    try:
        import termios
    except ImportError:  # pragma: no cover
        yield
        return
    try:
        fd = stdin.fileno()
        saved = termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError, AttributeError):
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def is_interactive(stdin: TextIO, out: TextIO) -> bool:
    try:
        return stdin.isatty() and out.isatty()
    except (AttributeError, ValueError):
        return False
