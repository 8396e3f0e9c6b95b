"""The result store of a study: a Parquet dataset with one file per point, named by the point's key.

The key (:func:`point_key`) is a hash of everything that decides a point's result: the fully resolved
scenario, the solver settings, what is run there (plan, out-of-sample years, near-optimal direction) and
greendc's version. A point whose key is in the store is not solved again.

Only the study's client writes, one point at a time: each row is written to a temporary file in the same
folder, flushed to disk and renamed onto ``<key>.parquet`` (an atomic rename on POSIX file systems). A study
stopped at any moment (Ctrl-C, a killed worker, a killed client) leaves every finished row complete and no
row twice; a partial write is a ``.tmp`` file that the next run removes. Workers never touch the store, so
they need no shared file system.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from greendc.errors import GreendcError
from greendc.units import RENAMED_CAPACITIES, renaming

#: Length of a point key [hex digits] (64 bits: no collision in any study of realistic size).
KEY_HEX = 16


def point_key(payload: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``payload`` (sorted keys), first :data:`KEY_HEX` hex digits."""
    text = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:KEY_HEX]


class ResultStore:
    """A folder of one-row Parquet files, ``<key>.parquet`` (see the module docstring).

    Parameters
    ----------
    folder : str or pathlib.Path
        Created if missing.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        for partial in self.folder.glob("*.tmp"):
            partial.unlink()

    def path(self, key: str) -> Path:
        """Where the row of ``key`` lives."""
        return self.folder / f"{key}.parquet"

    def keys(self) -> set[str]:
        """Keys of the rows stored."""
        return {p.stem for p in self.folder.glob("*.parquet")}

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.path(key).is_file()

    def write(self, row: Mapping[str, Any]) -> Path:
        """Store one row (a mapping with ``key``) atomically; an existing row of the same key is kept.

        Values that are mappings or lists are stored as JSON text.
        """
        key = str(row["key"])
        target = self.path(key)
        if target.exists():
            return target
        flat = {k: json.dumps(v, default=str) if isinstance(v, Mapping | list | tuple) else v for k, v in row.items()}
        tmp = self.folder / f"{key}.{os.getpid()}.tmp"
        pd.DataFrame([flat]).to_parquet(tmp, index=False)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        return target

    def read(self, keys: set[str] | None = None) -> pd.DataFrame:
        """All rows (or those of ``keys``) as one frame, ordered by ``point`` then ``key``; a capacity column
        of an older row under its old name (:data:`greendc.units.RENAMED_CAPACITIES`) is read as its current one."""
        files = sorted(self.folder.glob("*.parquet"))
        if keys is not None:
            files = [f for f in files if f.stem in keys]
        if not files:
            return pd.DataFrame()
        try:
            frames = [pd.read_parquet(f) for f in files]
        except Exception as err:  # a damaged file: name it rather than fail somewhere later
            raise GreendcError(
                f"study store {self.folder}: a row cannot be read ({err}); delete that file to solve its point again"
            ) from None
        out = pd.concat([f.rename(columns=renaming(f.columns, RENAMED_CAPACITIES)) for f in frames], ignore_index=True)
        order = [c for c in ("point", "key") if c in out.columns]
        return out.sort_values(order, ignore_index=True) if order else out


__all__ = ["KEY_HEX", "ResultStore", "point_key"]
