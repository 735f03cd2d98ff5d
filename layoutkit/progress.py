"""A batch's progress in pages, with the files beside them.

A 300-page PDF is one file: counted in files, a run over it would stand at 0/1 until it ends. On a
terminal the count is a bar; where stderr is a log (nohup, a file, a cluster job's output) a bar
would be one line redrawn by carriage returns, so a plain line is printed now and then instead.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm

#: In a log, a line each time this share of the pages more is done ...
LINE_SHARE = 0.05
#: ... or, on a long run, when this many seconds have passed since the last line.
LINE_SECONDS = 60.0


class Progress:
    def __init__(self, pages: int, files: int, *, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.total_pages, self.total_files = pages, files
        self.pages = self.files = self.failed = 0
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        terminal = enabled and self.stream.isatty()
        self.bar = tqdm(total=pages, unit="page", file=self.stream, smoothing=0.1) if terminal else None
        self.log = enabled and not terminal
        self._logged = (0, 0, self.start)  # pages, files, time of the last line

    def page(self, count: int = 1) -> None:
        self.pages += count
        self._show()

    def file(self, failed: bool, pages_lost: int = 0) -> None:
        """A file is finished; a file that failed takes the pages it did not reach out of the total."""
        self.files += 1
        self.failed += failed
        self.total_pages -= pages_lost
        self._show()

    def close(self, pages: int) -> None:
        """The run is over; `pages` is what the results say (a worker's last report may not have come)."""
        self.pages = pages
        if self.bar is not None:
            self._show()
            self.bar.close()
        elif self.log and self._logged[:2] != (self.pages, self.files):
            self._line()

    def _show(self) -> None:
        self.total_pages = max(self.total_pages, self.pages)
        if self.bar is not None:
            self.bar.total, self.bar.n = self.total_pages, self.pages
            self.bar.set_postfix_str(f"{self.files}/{self.total_files} files, {self._rate():.1f} pages/min")
            return
        if not self.log:
            return
        pages, _files, when = self._logged
        if self.pages - pages >= max(1.0, LINE_SHARE * self.total_pages) or time.monotonic() - when >= LINE_SECONDS:
            self._line()

    def _rate(self) -> float:
        elapsed = time.monotonic() - self.start
        return self.pages / elapsed * 60 if elapsed > 0 else 0.0

    def _line(self) -> None:
        failed = f", {self.failed} failed" if self.failed else ""
        print(f"layoutkit: {self.pages}/{self.total_pages} pages, {self.files}/{self.total_files} files{failed}, "
              f"{tqdm.format_interval(time.monotonic() - self.start)}, {self._rate():.1f} pages/min",
              file=self.stream, flush=True)
        self._logged = (self.pages, self.files, time.monotonic())
