"""The date forms of DOMAIN.md §3 read a column at a time (``dates.parse_text``), and Excel serials."""
import pandas as pd
import pyarrow as pa
import pytest

from pyaddin import dates


def read(*raw, **kw):
    out, note = dates.parse_text(pa.array(list(raw), type=pa.string()), **kw)
    return [None if pd.isna(v) else pd.Timestamp(v) for v in out], note


def ts(text):
    return pd.Timestamp(text)


def test_a_day_over_12_proves_the_order_of_a_year_last_column_and_dots_are_always_day_first():
    out, note = read("02/03/2026", "05.04.2026", "13/02/2026")
    assert out == [ts("2026-03-02"), ts("2026-04-05"), ts("2026-02-13")]
    assert (note.order, note.reason, note.example) == ("dmy", "proved", "13/02/2026")  # the row that proves it
    out, note = read("05.04.2026", "02/03/2026", "02/13/2026")
    assert out == [ts("2026-04-05"), ts("2026-02-03"), ts("2026-02-13")]
    assert (note.order, note.reason, note.example) == ("mdy", "proved", "02/13/2026")


def test_conflicting_proofs_go_to_the_order_more_values_prove():
    out, note = read("13/02/2026", "02/14/2026", "14/02/2026")
    assert out == [ts("2026-02-13"), None, ts("2026-02-14")]
    assert (note.order, note.reason, note.example) == ("dmy", "conflict", "13/02/2026")
    out, note = read("13/02/2026", "02/14/2026", "02/15/2026")
    assert out == [None, ts("2026-02-14"), ts("2026-02-15")]
    assert (note.order, note.reason, note.example) == ("mdy", "conflict", "02/14/2026")
    out, note = read("13/02/2026", "02/14/2026")  # as many each way: day first
    assert out == [ts("2026-02-13"), None] and (note.order, note.reason) == ("dmy", "conflict")


def test_without_proof_the_workbooks_setting_decides_and_says_so():
    out, note = read("05.04.2026", "02/03/2026", "04/05/2026", day_first=True)
    assert out == [ts("2026-04-05"), ts("2026-03-02"), ts("2026-05-04")]
    assert (note.order, note.reason, note.example) == ("dmy", "setting", "02/03/2026")
    out, note = read("02/03/2026", "03/09/26")
    assert out == [ts("2026-02-03"), ts("2026-03-09")] and (note.order, note.reason) == ("mdy", "setting")
    out, note = read("05.04.2026", "06.04.2026", day_first=False)  # dots alone prove nothing and need no note
    assert out == [ts("2026-04-05"), ts("2026-04-06")] and note is None


def test_month_names_in_english_and_as_localised_exports_write_them():
    out, note = read("24/Oct/24 3:15 PM", "Sep 3, 2026", "September 3rd, 2026 12:05 AM", "05/set/23 9:50 AM",
                     "3 Mär 2026", "Foo 3, 2026", "1-déc-2025 23:59", "Aug. 2nd 2026")
    assert out == [ts("2024-10-24 15:15"), ts("2026-09-03"), ts("2026-09-03 00:05"), ts("2023-09-05 09:50"),
                   ts("2026-03-03"), None, ts("2025-12-01 23:59"), ts("2026-08-02")]
    assert note is None


def test_offsets_convert_to_the_workbooks_time_zone():
    out, _ = read("2026-09-03T08:05:00.123456789Z", "2026-09-03T08:05:00.5+05:30", "2026-09-03 08:05 -0300",
                  "2026-09-03 08:05 UTC", "2026-09-03 08:05 GMT", "2026-09-03 08:05", "2026-09-03 08:05 -03:30")
    assert out == [ts("2026-09-03 16:05:00.123456789"), ts("2026-09-03 10:35:00.5"), ts("2026-09-03 19:05"),
                   ts("2026-09-03 16:05"), ts("2026-09-03 16:05"), ts("2026-09-03 08:05"), ts("2026-09-03 19:35")]
    out, _ = read("2026-09-03T08:05:00Z", "2026-09-03 08:05", utc_offset_h=-5.5)
    assert out == [ts("2026-09-03 02:35"), ts("2026-09-03 08:05")]
    out, _ = read("2026-09-03T08:05:00.25")
    assert out == [ts("2026-09-03 08:05:00.25")]


def test_am_pm_and_chinese_clock_words():
    out, _ = read("2026/9/3 12:00 AM", "2026/9/3 12:00 PM", "2026/9/3 13:00 PM", "2026/9/3 下午1:00",
                  "2026/9/3 上午12:30", "2026/9/3 1:00 p.m.", "2026年9月3日 8时5分3秒", "2026-09-03 8点5分",
                  "2026/9/3 11:59 am", "2026/9/3 13:00", "2026/9/3 12:00 上午")
    assert out == [ts("2026-09-03 00:00"), ts("2026-09-03 12:00"), None, ts("2026-09-03 13:00"),
                   ts("2026-09-03 00:30"), ts("2026-09-03 13:00"), ts("2026-09-03 08:05:03"), ts("2026-09-03 08:05"),
                   ts("2026-09-03 11:59"), ts("2026-09-03 13:00"), ts("2026-09-03 00:00")]


def test_placeholders_and_impossible_dates():
    out, note = read("0001-01-01", "9999-12-31", "2026-02-30", "1799-06-01", "", "明天")
    assert out == [ts("1800-01-01"), ts("2200-12-31"), None, ts("1800-06-01"), None, None] and note is None
    assert read() == ([], None)


@pytest.mark.parametrize("serial, expected", [(32873.99, None), (32874.0, ts("1990-01-01")),
                                              (73415.5, ts("2100-12-31 12:00")), (73416.0, None),
                                              (46268.3368055555, ts("2026-09-03 08:05"))])
def test_excel_serials_between_1990_and_2100(serial, expected):
    out = dates.serial_to_datetime(pd.Series([serial], index=[4]))
    assert out.index.tolist() == [4] and str(out.dtype) == "datetime64[ns]"
    assert (pd.isna(out[4]) if expected is None else out[4] == expected)


def test_a_12_proves_nothing_and_the_example_is_the_first_row_that_proves():
    out, note = read("12/05/2026", "11/04/2026")
    assert out == [ts("2026-12-05"), ts("2026-11-04")] and (note.order, note.reason) == ("mdy", "setting")
    out, note = read("05/12/2026", "04/11/2026", day_first=True)
    assert out == [ts("2026-12-05"), ts("2026-11-04")] and (note.order, note.reason) == ("dmy", "setting")
    out, note = read("12/01/2026", "13/02/2026")
    assert (note.order, note.reason, note.example) == ("dmy", "proved", "13/02/2026")
    out, note = read("01/12/2026", "02/13/2026")
    assert (note.order, note.reason, note.example) == ("mdy", "proved", "02/13/2026")
    _, note = read("13/02/2026", "02/14/2026", "02/15/2026", "12/01/2026", "12/03/2026")
    assert (note.order, note.reason) == ("mdy", "conflict")
    _, note = read("13/02/2026", "14/02/2026", "02/15/2026", "01/12/2026", "03/12/2026")
    assert (note.order, note.reason) == ("dmy", "conflict")
    _, note = read("13/02/2026", "02/13/2026", "02/14/2026")  # a 13 proves as much as a 14
    assert (note.order, note.reason) == ("mdy", "conflict")


def test_a_year_last_date_after_rows_no_pattern_reads():
    out, note = read("明天", "13/02/2026", "2026-09-03", "x", "14/03/2026 08:05")
    assert out == [None, ts("2026-02-13"), ts("2026-09-03"), None, ts("2026-03-14 08:05")]
    assert note.example == "13/02/2026"


def test_a_four_digit_year_is_never_taken_for_a_two_digit_one():
    out, _ = read("24/Oct/0100", "24/Oct/0099", "24/Oct/99", "Oct 24, 0100", "01/01/0001", "1-Jan-0001", "3/9/26")
    assert out == [ts("1800-10-24"), ts("1800-10-24"), ts("2099-10-24"), ts("1800-10-24"), ts("1800-01-01"),
                   ts("1800-01-01"), ts("2026-03-09")]


def test_a_serial_is_rounded_to_a_billionth_of_a_day_before_the_millisecond():
    # Excel's float noise is cut at 1e-9 day (86 µs) first: 5.64e-9 day is 6e-9 (518 µs), which rounds to 1 ms
    out = dates.serial_to_datetime(pd.Series([46268.00000000564]))
    assert out[0] == ts("2026-09-03 00:00:00.001")
