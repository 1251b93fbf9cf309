"""Names for uploaded files: what the Add documents page saves an upload as."""

from __future__ import annotations

import os
import re
from pathlib import Path


def safe_filename(name: str) -> str:
    """A plain file name for an upload: no folders, no odd characters, suffix kept."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = os.path.splitext(base)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "document"
    return f"{stem[:80]}{suffix.lower()}"
