"""The one memo (`poakit.project.memo`): kept by what a value is made from, swept per round."""

from __future__ import annotations

from poakit.project.memo import Memo, remembered


def test_a_value_is_made_once_per_key() -> None:
    memo, made = Memo(), []
    for _ in range(3):
        assert memo.get(("page", "digest-1"), lambda: made.append(1) or "page") == "page"
    assert made == [1]


def test_a_sweep_forgets_what_the_last_round_did_not_ask_for() -> None:
    memo = Memo()
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.sweep()
    memo.get("a", lambda: 10)  # asked for in this round: kept
    memo.sweep()
    assert len(memo) == 1
    assert memo.find("a") == 1 and memo.find("b") is None


def test_no_memo_or_no_key_makes_the_value_every_time() -> None:
    made = []
    for memo, key in ((None, "k"), (Memo(), None)):
        remembered(memo, key, lambda: made.append(1))
        remembered(memo, key, lambda: made.append(1))
    assert len(made) == 4
