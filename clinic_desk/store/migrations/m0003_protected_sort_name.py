"""Protected identity: sort patients by the name the lists show ("Skyddad identitet").

Sorted by their real name, a masked row would sit among the real names around it and give
away how the name begins (RULES.md §1: masked on lists and screens).
"""

from __future__ import annotations

import sqlite3

# sort_key(PROTECTED_MASK) when this migration was written; a test keeps the two in step.
PROTECTED_SORT_NAME = "skyddad identitet"


def upgrade(conn: sqlite3.Connection) -> None:
    """Give every protected patient the sort key of the mask."""
    conn.execute(
        "UPDATE patients SET sort_name = ? WHERE protected_identity = 1", (PROTECTED_SORT_NAME,)
    )
