"""The output folder: who owns it, one build at a time, and a publish that is all or nothing.

Beside the output folder `site/` the build keeps `.site.build/`:

    lock          held (flock) by the running build; a second build waits for it
    state.json    which tree is live, where the spare tree differs from it, a publish in progress
    spare/        the previous site (hard links); the next build turns it into the new site
    stage/        files the running build rendered, before they move into the spare tree
    new/          a first build's whole tree
    records/ID/   the build cache of the tree it describes

A publish brings the spare tree up to date (only the files that differ), indexes for search
the shards whose article pages changed (see `builder.search`), then swaps it with `site/` in
one rename (`renameat2(RENAME_EXCHANGE)`), so a web server serving `site/` sees the old site
or the new one, never a mix. The state names the
live tree by its device, inode and mtime: a folder the build did not leave that way is not
trusted (a full build) and, if it holds files, not written at all unless `--force`.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import hashlib
import json
import os
import shutil
import signal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from builder import search
from builder.errors import ContentError
from builder.files import list_files, require_folder, write_atomic

INDEX = f"{search.FOLDER}/"  # a diff entry ending in "/" stands for a whole folder (the index or one shard)
_EXCHANGE = 2  # RENAME_EXCHANGE
_AT_FDCWD = -100


@dataclass
class TreeState:
    """What the build knows about the output folder and its spare tree (state.json)."""

    live: list | None = None  # [dev, ino, mtime_ns] of the output folder after the last publish
    record: str | None = None  # records/<id>: the build cache describing the live tree
    indexed: bool = False  # the live tree has a search index (shards in the current format)
    spare: list | None = None  # [dev, ino] of spare/, if it is usable
    diff: list = field(default_factory=list)  # paths where spare/ may differ from the live tree
    pending: dict | None = None  # a publish under way: {touched, diff, record, tree, indexed, lagging}
    lagging: list = field(default_factory=list)  # shards of the live tree older than their pages


def _identity(path: Path, with_mtime: bool = True) -> list | None:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_mtime_ns] if with_mtime else [st.st_dev, st.st_ino]


def exchange(a: Path, b: Path) -> None:
    """Swap two folders atomically (Linux renameat2); elsewhere two renames through a third name."""
    libc = _libc()
    if libc is not None:
        if libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(b))
    between = a.with_name(a.name + ".swap")
    os.replace(b, between)
    os.replace(a, b)
    os.replace(between, a)


@functools.cache
def _libc():
    """The C library, if it has renameat2 (glibc 2.28 and later)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    return libc if hasattr(libc, "renameat2") else None


@contextmanager
def held_signals() -> Iterator[None]:
    """Hold back Ctrl+C and SIGTERM for the few renames that publish; deliver them afterwards."""
    received: list = []
    try:
        previous = {s: signal.signal(s, lambda *args: received.append(args)) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if received:
            raise Interrupted(published=True)


class Interrupted(KeyboardInterrupt):
    """Ctrl+C or SIGTERM; `published` says whether the site had already been replaced."""

    def __init__(self, published: bool = False):
        super().__init__()
        self.published = published


@contextmanager
def exclusive(path: Path, what: str, waiting=lambda message: None, note_pid: bool = True):
    """Hold an advisory lock on `path` (flock); if another process holds it, say so and wait.

    `note_pid` writes the holder's process id into the file, for the message of the next one.
    """
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            waiting(f"{what} is running{f' (process {holder})' if holder else ''}; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        if note_pid:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _hard_link_tree(source: Path, target: Path) -> None:
    """A copy of `source` at `target` whose files are hard links (no data is copied)."""
    start = len(str(source))
    for folder, _, names in os.walk(source):
        made = str(target) + folder[start:]
        os.makedirs(made, exist_ok=True)
        for name in names:
            os.link(os.path.join(folder, name), os.path.join(made, name))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _prune_empty(root: Path, folder: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _sources(config) -> list[Path]:
    """What a build reads and must never write into or delete: sources, settings, git."""
    paths = [config.path(name) for name in ("content", "seeds", "templates", "static", "data")]
    return paths + [config.root / "site.toml", config.root / ".git", config.root]


def check_out_folder(config) -> Path:
    """The output folder, resolved; refuses one that is, holds or sits inside the sources."""
    out = Path(os.path.realpath(config.path("out")))
    for source in _sources(config):
        real = Path(os.path.realpath(source))
        if not (source.exists() or source == config.root):
            continue
        if real == out or real.is_relative_to(out):
            what = "the project folder" if source == config.root else f"{source.name}"
            raise ContentError(
                f"refusing to build into {out}: it is or contains {what}, which the build "
                "reads; building there would overwrite or delete sources",
                file=config.path("out"),
                hint="build into a folder of its own, e.g. --out site",
            )
        if source.is_dir() and source != config.root and source.name != ".git" and out.is_relative_to(real):
            raise ContentError(
                f"refusing to build into {out}: it is inside {source.name}/, which the build reads",
                file=config.path("out"),
                hint="build into a folder of its own, e.g. --out site",
            )
    # A site inside another build's site would vanish at that build's next swap.
    for parent in (p for p in out.parents if p.name):
        if (parent.with_name(f".{parent.name}.build") / "state.json").is_file():
            raise ContentError(
                f"refusing to build into {out}: it is inside {parent}, the output folder of another build",
                file=config.path("out"),
                hint="build into a folder of its own, outside every other output folder",
            )
    require_folder(out, "output path", "remove or rename the file, or build elsewhere with --out DIR")
    require_folder(config.path("cache"), "cache path", "remove or rename the file; the build recreates its cache")
    return out


class OutputFolder:
    """The output folder and its `.NAME.build/` state; use `with folder.locked(): ...`."""

    def __init__(self, out: Path, force: bool = False):
        self.out = out
        self.force = force
        self.home = out.with_name(f".{out.name}.build")
        self.state = TreeState()
        self.trusted = False  # the output folder is the tree the state describes
        self.foreign: list[str] = []  # files found in an adopted folder: kept, never deleted

    # -- lock and recovery ------------------------------------------------------------------

    @contextmanager
    def locked(self, waiting=lambda message: None):
        """Hold this output folder's lock; a second build waits and says why."""
        require_folder(self.home, "build state path", "remove or rename it; the build recreates it", create=True)
        with exclusive(self.home / "lock", f"another build of {self.out}", waiting):
            self._recover()
            yield self

    def _recover(self) -> None:
        """Finish or undo what a killed build left; then decide whether the folder is ours."""
        for name in ("spare", "new"):  # a three-rename exchange (see `exchange`) cut short: finish it
            between = self.home / f"{name}.swap"
            if between.exists():
                if not self.out.exists():
                    os.replace(self.home / name, self.out)
                os.replace(between, self.home / name)
        for leftover in ("stage", "new", "index"):
            shutil.rmtree(self.home / leftover, ignore_errors=True)
        spare = self.home / "spare"
        self.state = self._read_state()
        pending = self.state.pending
        if pending:
            if _identity(self.out, with_mtime=False) == pending["tree"]:  # the swap happened
                old = self.state.live
                self.state = TreeState(
                    _identity(self.out),
                    pending["record"],
                    pending["indexed"],
                    old[:2] if old and _identity(spare, False) == old[:2] else None,
                    pending["diff"],
                    lagging=pending.get("lagging", []),
                )
            else:  # the swap did not happen: the spare tree may differ wherever it was touched
                self.state.diff = sorted(set(self.state.diff) | set(pending["touched"]))
                self.state.pending = None
            self._write_state()
        self.trusted = bool(self.state.live) and self.state.live == _identity(self.out) and self.record_dir is not None
        if not self.trusted:
            self.state = TreeState()
            if self.out.is_dir() and any(self.out.iterdir()):
                if not self.force:
                    sample = min(os.listdir(self.out))  # not a walk: the folder may be huge
                    raise ContentError(
                        f"the output folder holds files newsarchive did not write there or that were changed "
                        f"by hand since its last build (e.g. {sample[:80]!r}); nothing was written",
                        file=self.out,
                        hint="build into a new or empty folder (--out DIR) and put hand-made files in static/; "
                        "if it is an old build of this site (its state in "
                        f"{self.home.name}/ lost, or restored from a backup), delete it and build again; "
                        "--force builds into it anyway and keeps every file it does not produce",
                    )
                self.foreign = list_files(self.out)

    def is_last_published(self) -> bool:
        """True if the output folder is the tree the state says the last build published (read only)."""
        state, now = self._read_state(), _identity(self.out)
        swapped = state.pending and now and now[:2] == state.pending["tree"]  # completed at the next start
        return bool(state.live) and (state.live == now or bool(swapped))

    @property
    def index_current(self) -> bool:
        """The live tree's search index covers every page as it is now."""
        return self.state.indexed and not self.state.lagging

    @property
    def record_dir(self) -> Path | None:
        """The build cache folder of the live tree, if the state names one that exists."""
        if self.state.record and (self.home / "records" / self.state.record).is_dir():
            return self.home / "records" / self.state.record
        return None

    def _read_state(self) -> TreeState:
        try:
            wrapper = json.loads((self.home / "state.json").read_text("utf-8"))
            payload = json.dumps(wrapper["state"], sort_keys=True)
            if hashlib.sha256(payload.encode()).hexdigest() == wrapper["sha256"]:
                return TreeState(**wrapper["state"])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing or damaged: nothing is trusted, the next build is a full one
        return TreeState()

    def _write_state(self) -> None:
        state = asdict(self.state)
        checksum = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()
        write_atomic(self.home / "state.json", json.dumps({"sha256": checksum, "state": state}).encode())

    # -- publishing -------------------------------------------------------------------------

    def new_record(self) -> Path:
        """A fresh folder for the build cache of the tree about to be published."""
        path = self.home / "records" / uuid.uuid4().hex
        path.mkdir(parents=True)
        return path

    def keep_record(self, record: Path) -> None:
        """Nothing was published, but the live tree's cache is now `record`."""
        self.state.record = record.name
        self._write_state()
        self._drop_other_records()

    def publish(self, written: dict[str, Path], removed: list[str], record: Path, index) -> None:
        """Make the output folder the live tree plus `written` (path -> staged file) minus `removed`.

        `index` (a `search.Indexer`, or None: no search) indexes the shards whose article pages
        changed, or every shard if the live tree has no index; with `index.defer` the pages are
        published first and their shards noted as lagging, for a later build to index.
        Atomic: a kill at any moment leaves the old site or the new one.
        """
        if not self.trusted:
            return self._publish_whole(written, record, index)
        spare = self._ready_spare()
        changed = set(written) | set(removed)
        indexed = self.state.indexed and search.manifest(self.out) is not None
        lagging = set(self.state.lagging) | search.Indexer.stale(self.out, written, removed) if indexed else set()
        shards: set[str] | None = set()
        if index is not None and not index.defer:
            shards, lagging = (lagging if indexed else None), set()
        index_diff = {INDEX} if shards is None else {f"{INDEX}{s}/" for s in shards}
        if index is not None and (shards is None or shards or lagging != set(self.state.lagging)):
            index_diff |= {INDEX + search.MANIFEST, INDEX + search.VOCABULARY}
        next_diff = changed | index_diff
        self.state.pending = {
            "touched": sorted(set(self.state.diff) | next_diff),
            "diff": sorted(next_diff),
            "record": record.name,
            "tree": _identity(spare, False),
            "indexed": indexed or shards is None and index is not None,
            "lagging": sorted(lagging),
        }
        self._write_state()
        for path in self.state.diff:  # bring the spare tree level with the live one first
            if path not in next_diff and not (path.startswith(INDEX) and shards is None):
                self._sync(path, spare)
        for path in removed:
            _remove(spare / path)
            _prune_empty(spare, (spare / path).parent)
        for path, staged in written.items():
            target = spare / path
            try:
                os.replace(staged, target)
            except FileNotFoundError:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
        if index is not None and INDEX + search.MANIFEST in index_diff:
            for name in (search.MANIFEST, search.VOCABULARY):  # the index starts from the live manifest and words
                self._sync(INDEX + name, spare)
            if shards is None or shards:
                index(spare, shards, catching_up=bool(lagging))
            else:
                search.write_manifest(spare, catching_up=bool(lagging))
        self._swap_in(spare)

    def _publish_whole(self, written: dict[str, Path], record: Path, index) -> None:
        """A first build (or a taken-over folder): the staged tree plus the folder's own files."""
        tree = self.home / "new"
        for path in self.foreign:  # kept as they are, unless the build writes the same path
            if path not in written:
                (tree / path).parent.mkdir(parents=True, exist_ok=True)
                os.link(self.out / path, tree / path)
        indexed = index is not None
        if indexed:
            index(tree, None)
        self.state.pending = {
            "touched": [],
            "diff": [],
            "record": record.name,
            "tree": _identity(tree, False),
            "indexed": indexed,
            "lagging": [],
        }
        self._write_state()
        if self.out.is_dir():
            self._swap_in(tree)
            shutil.rmtree(tree)  # the folder's old contents: empty, or adopted (--force) and kept as links
        else:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            with held_signals():
                os.replace(tree, self.out)
                self.state = TreeState(_identity(self.out), record.name, indexed)
                self._write_state()
            self._drop_other_records()
        self._ready_spare()

    def _swap_in(self, tree: Path) -> None:
        """Exchange `tree` with the output folder and record the new state, signals held."""
        with held_signals():
            if not self.out.is_dir():
                raise ContentError(
                    "the output folder was deleted while the site was being built", file=self.out, hint="build again"
                )
            old = self.state.live
            exchange(tree, self.out)
            pending = self.state.pending
            assert pending is not None  # set by the journal write before the swap
            self.state = TreeState(
                _identity(self.out),
                pending["record"],
                pending["indexed"],
                old[:2] if old else None,
                pending["diff"],
                lagging=pending["lagging"],
            )
            self._write_state()
        self._drop_other_records()

    def _ready_spare(self) -> Path:
        """The spare tree, made again from the live one if it is missing or unknown."""
        spare = self.home / "spare"
        if self.state.spare and _identity(spare, False) == self.state.spare:
            return spare
        self.state.spare = None  # first, so a kill while copying never leaves a half tree trusted
        self._write_state()
        _remove(spare)
        _hard_link_tree(self.out, spare)
        self.state.spare, self.state.diff = _identity(spare, False), []
        self._write_state()
        return spare

    def _sync(self, path: str, spare: Path) -> None:
        """Make `spare/path` what the live tree has there (a hard link), or absent."""
        live, target = self.out / path.rstrip("/"), spare / path.rstrip("/")
        _remove(target)
        if path.endswith("/"):
            if live.is_dir():
                _hard_link_tree(live, target)
        elif live.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(live, target)
        else:
            _prune_empty(spare, target.parent)

    def _drop_other_records(self) -> None:
        for record in (self.home / "records").glob("*"):
            if record.name != self.state.record:
                shutil.rmtree(record, ignore_errors=True)

    # -- clean ------------------------------------------------------------------------------

    def clean(self, owned: list[str]) -> tuple[int, list[str]]:
        """Delete the files of `owned` (this folder's recorded output) and the build state.

        Returns (files removed, files kept because the build did not write them).
        """
        removed = 0
        for path in owned:
            target = self.out / path.rstrip("/")
            if target.exists():
                _remove(target)
                _prune_empty(self.out, target.parent)
                removed += 1
        kept = list_files(self.out) if self.out.is_dir() else []
        if self.out.is_dir() and not kept:
            shutil.rmtree(self.out)
        return removed, kept
