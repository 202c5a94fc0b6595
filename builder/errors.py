"""The one exception type editors see: a problem in a named file, with a hint."""

from __future__ import annotations

from pathlib import Path


class ContentError(Exception):
    """A problem an editor can fix: which file, which line, what is wrong, what to do."""

    def __init__(self, message: str, file: str | Path | None = None, line: int | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.hint = hint

    def __reduce__(self):
        return (type(self), (self.message, self.file, self.line, self.hint))

    def __str__(self) -> str:
        where = self.file or ""
        if where and self.line:
            where += f":{self.line}"
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text
