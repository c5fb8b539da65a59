"""Record cache: record files as loaded and validated by a previous run (`check --cache`,
`build --cache`), reused when the file is byte for byte the same.

At 10,000 records, parsing and validating the YAML is most of what `check` does, and the
push hook runs it, then `build` does it again; a push changes a few files. An entry is
keyed by the file's path and bytes and its kind's schema; the whole cache by the
generator's code and the installed packages (fingerprint.py). Loading a file depends on
nothing else (no date, no other file), so a hit is exactly what loading it again would give:
its data and positions, or its problems, with their file:line:column.

The per-record checks (the units, personal data, area codes, wording and table totals) keep
their findings on the record's Document with what else they depended on (load.Document.memo),
and those are saved with the entries: an unchanged record is not judged again either.

One file, `records.pickle`: a header with the code key and the SHA-256 of what follows, then
the entries, each pickled when its file was loaded (later steps add to a record's data), the
findings, and each file's signature (device, inode, size, modification and change times) with
its entry's key: a file whose signature is unchanged is not read again to find its entry (the
push hook keeps its work tree, and git rewrites only the files a push changed). The change
time is in it because `cp -p` or `touch -d` can give a rewritten file of the same size its old
modification time, while every write sets the change time to the clock's. The file is
replaced in one rename and holds the entries of the last run only. A damaged, foreign or
unreadable cache is ignored: every file is loaded again. Pickle runs code when read, so the
cache directory must be writable only by whoever runs the builds (the hook's state directory).
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

from .. import fingerprint
from ..sitebuild.build_cache import signature

FORMAT = 3
FILE = "records.pickle"


def _signature(st: os.stat_result) -> list[int]:
    return [*signature(st), st.st_ctime_ns]


def code_key(root: Path) -> str:
    h = hashlib.sha256(f"gk-records {FORMAT}\0".encode())
    fingerprint.add_tree(h, root, "generator")
    fingerprint.add_environment(h)
    return h.hexdigest()


def schema_key(schema: dict) -> str:
    return hashlib.sha256(json.dumps(schema, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class RecordCache:
    def __init__(self, directory: Path, root: Path):
        self.path = Path(directory) / FILE
        self.key = code_key(root)
        self.old = self._read()
        self.new: dict[str, bytes] = {}
        self.signatures: dict[str, list] = {}  # rel -> [*signature, schema key, entry key]
        self.docs: dict = {}  # key -> the Document in use, whose memo is saved with its entry
        self.hits = 0

    def _read(self) -> dict:
        try:
            with open(self.path, "rb") as f:
                header = f.readline().decode("ascii").split()
                payload = f.read()
        except (OSError, UnicodeDecodeError):
            return {}
        if header[:3] != ["gk-records", str(FORMAT), self.key] or len(header) != 4 \
                or hashlib.sha256(payload).hexdigest() != header[3]:
            return {}
        try:
            entries = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - any damage: load every file again
            return {}
        ok = isinstance(entries, dict) and all(isinstance(entries.get(k), dict) for k in ("files", "memos", "signatures"))
        return entries if ok else {}

    @staticmethod
    def entry_key(rel: str, schema: str, raw: bytes) -> str:
        return hashlib.sha256(f"{rel}\0{schema}\0".encode() + raw).hexdigest()

    def known_entry(self, rel: str, schema: str, st: os.stat_result) -> str | None:
        """The entry key of file `rel` as the last run read it, if the file still has the
        signature it had then (and its kind the same schema)."""
        found = (self.old.get("signatures") or {}).get(rel)
        if isinstance(found, list) and found[:-2] == _signature(st) and found[-2] == schema:
            return found[-1]
        return None

    def note(self, rel: str, schema: str, st: os.stat_result, key: str) -> None:
        """File `rel`, whose signature was `st` when it was read, holds entry `key`."""
        self.signatures[rel] = [*_signature(st), schema, key]

    def get(self, key: str, path: Path):
        """(Document or None, problems) as stored for this key, or None."""
        blob = (self.old.get("files") or {}).get(key)
        if blob is None:
            return None
        try:
            doc, problems = pickle.loads(blob)
            memo = self.old["memos"].get(key) or {}
        except Exception:  # noqa: BLE001 - a damaged entry: load the file again
            return None
        if doc is not None:
            doc.path = path  # the same file, in this run's checkout
            doc.memo = dict(memo) if isinstance(memo, dict) else {}
            self.docs[key] = doc
        self.new[key] = blob
        self.hits += 1
        return doc, problems

    def put(self, key: str, doc, problems) -> None:
        """A file just loaded: pickled now, as loaded (later steps add to a record's data).
        Without its path, which `get` sets to this run's: unpickling a Path parses it again,
        part by part (0.3 s of reading 10,000 entries)."""
        path = doc.path if doc is not None else None
        if doc is not None:
            doc.path = None
        try:
            self.new[key] = pickle.dumps((doc, problems), protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            if doc is not None:
                doc.path = path
        if doc is not None:
            self.docs[key] = doc

    def save(self) -> None:
        """This run's entries, and what the per-record checks found in them, become the cache."""
        memos = {key: doc.memo for key, doc in self.docs.items() if doc.memo}
        signatures = {rel: found for rel, found in self.signatures.items() if found[-1] in self.new}
        payload = pickle.dumps({"files": self.new, "memos": memos, "signatures": signatures},
                               protocol=pickle.HIGHEST_PROTOCOL)
        header = f"gk-records {FORMAT} {self.key} {hashlib.sha256(payload).hexdigest()}\n".encode("ascii")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".records-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(header)
                f.write(payload)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
