"""Smoke-test an installed or frozen silverdesk: demo database, check, a report in both formats.

Usage: python installer/smoke_test.py [COMMAND]   (default: "silverdesk" on PATH)
Exits non-zero and says which step failed.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    command = shlex.split(sys.argv[1]) if len(sys.argv) > 1 else ["silverdesk"]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "smoke.sqlite"
        steps = [
            ["--version"],
            ["demo", "--db", str(db), "--people", "200", "--activities", "2000"],
            ["check", "--db", str(db)],
            ["report", "--db", str(db), "--period", "2026", "--out", str(Path(tmp) / "r.xlsx")],
            ["report", "--db", str(db), "--period", "2026", "--out", str(Path(tmp) / "r.pdf")],
        ]
        for step in steps:
            result = subprocess.run([*command, *step], capture_output=True, text=True, timeout=300)
            if result.returncode != 0:
                print(f"FAILED: {' '.join(step)}\n{result.stdout}\n{result.stderr}", file=sys.stderr)
                return 1
            print(f"ok: {' '.join(step[:1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
