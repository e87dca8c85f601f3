"""Several questions in one reader session: what a report, the 首页 or a filled form asks together.

:class:`Asker` answers each distinct question once (a report asks 场次 of the same period for 表1 and for
its totals), so the figures of one document are read from one snapshot of the database.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from silverdesk.progress import NEVER, CancelToken
from silverdesk.services.statistics.query.model import Question, Result


class Asker:
    """Answers questions in the session ``s`` (one snapshot), each distinct question once."""

    def __init__(self, s: Session, cancel: CancelToken = NEVER) -> None:
        self.session = s
        self.cancel = cancel
        self._answers: dict[Question, Result] = {}

    def __call__(self, question: Question) -> Result:
        from silverdesk.services.statistics.query.engine import run

        hit = self._answers.get(question)
        if hit is None:
            self.cancel.raise_if_set()
            hit = self._answers[question] = run(self.session, question, self.cancel)
        return hit

    def known(self, measure: str) -> bool:
        """Whether ``measure`` (key, name or alias) is registered."""
        from silverdesk.services.statistics.query.registry import registry

        reg = registry()
        return any(measure in (m.key, m.name) or measure in m.aliases for m in reg.measures.values())


def run_all(s: Session, questions: Sequence[Question], cancel: CancelToken = NEVER) -> list[Result]:
    """The answers to ``questions``, in order, read in the one session ``s``."""
    ask = Asker(s, cancel)
    return [ask(q) for q in questions]
