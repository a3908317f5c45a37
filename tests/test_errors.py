"""core.errors: the one exception hierarchy, its exit codes, and the collector that reports every problem at once."""

from __future__ import annotations

import pytest

from ladder_sheets.core.errors import (ConfigError, HistoryError, LadderSheetsError, ProblemCollector, ServiceError,
                                       WorkbookError)


@pytest.mark.parametrize(("error", "code"), [(LadderSheetsError, 2), (ConfigError, 2), (WorkbookError, 1),
                                             (ServiceError, 1), (HistoryError, 1)])
def test_each_error_is_the_tool_s_with_its_exit_code(error: type[LadderSheetsError], code: int) -> None:
    err = error("the whole message")
    assert isinstance(err, LadderSheetsError) and err.exit_code == code and str(err) == "the whole message"


def test_nothing_collected_raises_nothing() -> None:
    ProblemCollector("team.yaml").raise_if_any()


def test_one_problem_is_counted_in_the_singular_and_names_its_place() -> None:
    problems = ProblemCollector("team.yaml")
    problems.add("line 4: people[0].email", "expected an email address, found 'tomas'")
    with pytest.raises(ConfigError) as caught:
        problems.raise_if_any()
    assert str(caught.value) == ("1 problem found:\n"
                                 "  - team.yaml: line 4: people[0].email: expected an email address, found 'tomas'")


def test_every_problem_is_listed_in_order_and_one_without_a_place_names_the_source() -> None:
    problems = ProblemCollector("ladder.yaml")
    problems.add("", "no levels")
    problems.add("line 9", "weight below 0")
    with pytest.raises(WorkbookError) as caught:
        problems.raise_if_any(WorkbookError)
    assert str(caught.value) == "2 problems found:\n  - ladder.yaml: no levels\n  - ladder.yaml: line 9: weight below 0"
    assert problems.problems == ["ladder.yaml: no levels", "ladder.yaml: line 9: weight below 0"]
