"""Values as people paste them (DOMAIN.md §3)."""
import datetime as dt

import pandas as pd
import pytest

from pyaddin import values
from pyaddin.schema import CHANNEL, PRIORITY


def dates(*raw, order="mdy", arrow=False):
    col = pd.Series(list(raw), dtype="str" if arrow else object)
    out, bad = values.parse_datetime(col, values.ParseOptions(day_first=order == "dmy"))
    return list(out), list(bad)


@pytest.mark.parametrize("raw", ["2026-09-03 08:05", "2026/9/3 8:05", "2026年9月3日 08:05", "2026-09-03T08:05:00",
                                 "２０２６/９/３ ８:０５", "09/03/2026 08:05", 46268.336805555555,
                                 "46268.336805555555", dt.datetime(2026, 9, 3, 8, 5)])
def test_every_pasted_date_form_reads_the_same(raw):
    out, bad = dates(raw)
    assert out == [pd.Timestamp("2026-09-03 08:05")] and bad == [False]
    if isinstance(raw, str):  # the same text read into Arrow (as from a workbook or a CSV) reads the same
        assert dates(raw, arrow=True) == ([pd.Timestamp("2026-09-03 08:05")], [False])


def test_day_month_order_follows_the_setting():
    assert dates("09/03/2026", order="dmy")[0] == [pd.Timestamp("2026-03-09")]
    assert dates("09/03/2026", order="mdy")[0] == [pd.Timestamp("2026-09-03")]


def test_unreadable_date_is_an_error_not_a_blank():
    out, bad = dates("明天", "2026-02-30", "", None)
    assert bad == [True, True, False, False]
    assert all(pd.isna(v) for v in out)


def test_booleans():
    out, bad = values.parse_bool(pd.Series(["是", "否", "Y", "n", "TRUE", "0", 1, "", "也许", "2"], dtype=object))
    assert list(out[:6]) == [True, False, True, False, True, False]
    assert out[6] is True or out[6] == True  # noqa: E712
    assert pd.isna(out[7]) and pd.isna(out[8])
    assert list(bad) == [False] * 8 + [True, False]
    assert out[9] == True  # a count of reopens  # noqa: E712


def test_numbers_as_text_with_separators_and_full_width_digits():
    out, bad = values.parse_number(pd.Series(["1,234.5", "１２", " 7 ", "abc", None], dtype=object))
    assert list(out[:3]) == [1234.5, 12.0, 7.0]
    assert list(bad) == [False, False, False, True, False]
    ints, bad = values.parse_integer(pd.Series(["3", "2.5"], dtype=object))
    assert ints[0] == 3 and list(bad) == [False, True]


def test_enums_accept_keys_labels_and_export_spellings():
    out, bad = values.parse_enum(pd.Series(["电话", "Chat", "在线客服", "Phone call (incoming)", "传真"], dtype=object), CHANNEL)
    assert list(out[:4]) == ["phone", "chat", "chat", "phone"]
    assert list(bad) == [False, False, False, False, True]
    out, _ = values.parse_enum(pd.Series(["紧急", "Medium"], dtype=object), PRIORITY)
    assert list(out) == ["urgent", "normal"]
