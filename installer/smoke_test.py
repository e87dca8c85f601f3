"""Smoke-test an installed or frozen silverdesk: demo database, check, a report in both formats,
a roster import (pinyin keys: pypinyin's data files must be in the build) and its undo.

Usage: python installer/smoke_test.py [COMMAND]   (default: "silverdesk" on PATH)
Exits non-zero and says which step failed.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path


def id_number(body: str) -> str:
    """A valid 18-digit ID number from its first 17 digits (GB 11643 check character)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def main() -> int:
    command = shlex.split(sys.argv[1]) if len(sys.argv) > 1 else ["silverdesk"]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "smoke.sqlite"
        roster = Path(tmp) / "名册.csv"
        roster.write_text(
            "姓名,性别,身份证号码\n欧阳建国,男," + id_number("37010219560301123") + "\n", encoding="utf-8-sig"
        )
        steps = [
            ["--version"],
            ["demo", "--db", str(db), "--people", "200", "--activities", "2000"],
            ["check", "--db", str(db)],
            ["report", "--db", str(db), "--period", "2026", "--out", str(Path(tmp) / "r.xlsx")],
            ["report", "--db", str(db), "--period", "2026", "--out", str(Path(tmp) / "r.pdf")],
            ["import", str(roster), "--kind", "roster", "--unit", "城关街道", "--db", str(db), "--json"],
        ]
        for step in steps:
            result = subprocess.run([*command, *step], capture_output=True, text=True, timeout=300)
            if result.returncode != 0:
                print(f"FAILED: {' '.join(step)}\n{result.stdout}\n{result.stderr}", file=sys.stderr)
                return 1
            print(f"ok: {' '.join(step[:1])}")
        outcome = json.loads(result.stdout)
        if outcome["imported"] != 1:
            print(f"FAILED: import: {outcome}", file=sys.stderr)
            return 1
        undo = subprocess.run(
            [*command, "import", "undo", str(outcome["batch_id"]), "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if undo.returncode != 0:
            print(f"FAILED: import undo\n{undo.stdout}\n{undo.stderr}", file=sys.stderr)
            return 1
        print("ok: import undo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
