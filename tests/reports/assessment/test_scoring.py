from decimal import Decimal as D

import pytest

from portal import figures
from reports.assessment import scoring


@pytest.mark.parametrize("number, expected", [("0", "0"), ("0.4", "0"), ("0.5", "0.5"), ("2.99", "2.5"),
                                              ("3", "3"), ("7.74", "7.5")])
def test_floor_half_rounds_down_to_halves(number, expected):
    assert scoring.floor_half(D(number)) == D(expected)


def test_threshold_gives_all_or_nothing():
    assert scoring.score(points=D(5), scoring="threshold", target=D(12), value=D(12)) == D(5)
    assert scoring.score(points=D(5), scoring="threshold", target=D(12), value=D(11)) == D(0)


def test_ratio_is_proportional_capped_and_rounded_down_to_halves():
    # 10 × 7/12 = 5.83 → 5.5
    assert scoring.score(points=D(10), scoring="ratio", target=D(12), value=D(7)) == D("5.5")
    assert scoring.score(points=D(10), scoring="ratio", target=D(12), value=D(30)) == D(10)
    assert scoring.score(points=D("2.5"), scoring="ratio", target=D(100), value=D("99.99")) == D(2)


def test_deduction_per_missing_never_goes_below_zero():
    assert scoring.score(points=D(5), scoring="deduct", target=D(4), value=D(3), deduct_per=D(1)) == D(4)
    assert scoring.score(points=D(5), scoring="deduct", target=D(4), value=D(3), deduct_per=D("0.5")) == D("4.5")
    assert scoring.score(points=D(5), scoring="deduct", target=D(12), value=D(1), deduct_per=D(1)) == D(0)
    assert scoring.score(points=D(5), scoring="deduct", target=D(4), value=D(9), deduct_per=D(1)) == D(5)


def test_nothing_to_measure_scores_nothing():
    assert scoring.score(points=D(5), scoring="ratio", target=D(100), value=None) == D(0)


@pytest.mark.parametrize("raw, as_percent", [("100", False), ("100", True), ("1", False), ("0.9", False)])
def test_percentage_targets_written_three_ways(raw, as_percent):
    expected = D(90) if raw == "0.9" else D(100)
    assert scoring.percent_target(D(raw), written_as_percent=as_percent) == expected


def test_every_indicator_key_is_a_report_figure(world):
    for key in scoring.INDICATORS:
        figure, arg = figures.parse(key)
        assert arg == ()
        figures.value(key, world.committee, 2020)  # computes for a committee with no records
        assert figures.records(key, world.committee, 2020).count() == 0
    assert scoring.PERCENT_INDICATORS <= set(scoring.INDICATORS)
