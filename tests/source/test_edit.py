"""Adding a follow-up entry to a case file as text (`poakit.source.edit`): nothing else moves."""

from __future__ import annotations

import datetime as dt

import pytest

from poakit.errors import UsageError
from poakit.source import yaml
from poakit.source.edit import add_follow_up

ENTRY = {"date": "2026-10-20", "event": "resubmitted"}

# A case file as people keep them: comments everywhere, blank lines, a block scalar at the
# end of the last entry, a comment after the list that belongs to what follows.
COMMENTED = """\
# yaml-language-server: $schema=../schema/case.schema.json
# Client: Acme. Keep this file private.
visibility: public   # published as an example
seller:
  name: Acme Home Goods LLC  # as on the seller account
  signatory: {name: Jane Doe, title: Owner}
notice:
  received: 2026-10-02
  action: account-deactivated
  issues:
    - id: counterfeit-claims   # the notice's first issue
      reason: inauthentic

# --- what happened after we sent the plan ---
follow_up:
  # the first letter
  - {date: 2026-10-07, event: submitted}   # sent in the evening
  - date: 2026-10-09
    event: info-requested
    # Amazon's message, verbatim
    note: |
      Please send invoices for B0C1234567.

      Thank you.

# --- what we learned ---
lessons:
  - Invoices must cover the whole evidence window.  # the main one
"""


def _added(text: str, entry: dict[str, str] = ENTRY) -> str:
    return add_follow_up(text, yaml.load(text, "cases/x.yaml"), entry)


def test_every_comment_and_line_of_a_commented_case_is_kept() -> None:
    result = _added(COMMENTED)
    new = "  - date: 2026-10-20\n    event: resubmitted\n"
    at = COMMENTED.index("Thank you.\n") + len("Thank you.\n")  # after the note's last line
    assert result == COMMENTED[:at] + new + COMMENTED[at:]
    data = yaml.load(result, "cases/x.yaml").data
    assert data["follow_up"][-1] == {"date": dt.date(2026, 10, 20), "event": "resubmitted"}
    assert data["follow_up"][1]["note"] == "Please send invoices for B0C1234567.\n\nThank you.\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # flow entries stay flow entries, at their indent
            "follow_up:\n    - {date: 2026-10-07, event: submitted}\nlessons: []\n",
            "follow_up:\n    - {date: 2026-10-07, event: submitted}\n"
            "    - {date: 2026-10-20, event: resubmitted}\nlessons: []\n",
        ),
        (  # block entries keep their alignment
            "follow_up:\n-   date: 2026-10-07\n    event: submitted\n",
            "follow_up:\n-   date: 2026-10-07\n    event: submitted\n"
            "-   date: 2026-10-20\n    event: resubmitted\n",
        ),
        (  # a flow list
            "follow_up: [{date: 2026-10-07, event: submitted}]  # one\n",
            "follow_up: [{date: 2026-10-07, event: submitted}, "
            "{date: 2026-10-20, event: resubmitted}]  # one\n",
        ),
        ("follow_up: []\n", "follow_up: [{date: 2026-10-20, event: resubmitted}]\n"),
        (  # an empty key, its comment kept
            "follow_up:   # nothing yet\nlessons: []\n",
            "follow_up:   # nothing yet\n  - {date: 2026-10-20, event: resubmitted}\nlessons: []\n",
        ),
        (
            "follow_up: ~\n",
            "follow_up:\n  - {date: 2026-10-20, event: resubmitted}\n",
        ),
        (  # no key at all, no final line break
            "visibility: public",
            "visibility: public\nfollow_up:\n  - {date: 2026-10-20, event: resubmitted}\n",
        ),
        (  # Windows line endings stay Windows line endings
            "follow_up:\r\n  - {date: 2026-10-07, event: submitted}\r\n# end\r\n",
            "follow_up:\r\n  - {date: 2026-10-07, event: submitted}\r\n"
            "  - {date: 2026-10-20, event: resubmitted}\r\n# end\r\n",
        ),
        (  # a kept block scalar owns its blank lines: the entry goes after them
            "follow_up:\n  - date: 2026-10-07\n    event: note\n    note: |+\n      x\n\n"
            "lessons: []\n",
            "follow_up:\n  - date: 2026-10-07\n    event: note\n    note: |+\n      x\n\n"
            "  - date: 2026-10-20\n    event: resubmitted\nlessons: []\n",
        ),
    ],
    ids=["flow", "block", "flow-list", "empty-list", "empty", "null", "absent", "crlf", "keep"],
)
def test_the_entry_follows_the_style_already_there(before: str, after: str) -> None:
    assert _added(before) == after


def test_a_file_it_cannot_add_to_cleanly_is_left_to_the_user() -> None:
    """follow_up as an alias of another list: adding to it would change that list too."""
    text = "earlier: &sent [{date: 2026-10-07, event: submitted}]\nfollow_up: *sent\n"
    with pytest.raises(UsageError) as caught:
        _added(text)
    assert str(caught.value) == (
        "cannot add the entry to cases/x.yaml without changing anything else in it; add it by "
        "hand under follow_up: - {date: 2026-10-20, event: resubmitted}"
    )
