"""Values as people paste them (DOMAIN.md §3)."""
import datetime as dt

import numpy as np
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


# ----------------------------------------------------------------------------- durations, times of day, placeholders


def test_a_duration_in_seconds_from_every_form_a_call_log_writes():
    col = pd.Series(["1:02:03", "02:03", "2:61", "90", "1,200", "x", None, " ", dt.timedelta(seconds=75),
                     dt.time(0, 2, 3, 500000), pd.Timestamp("1899-12-31 00:02:03"), 5, 2.5, "１:００", "0:60"],
                    dtype=object, index=range(10, 25))
    out, bad = values.parse_seconds(col)
    assert out.index.tolist() == list(range(10, 25))
    expected = [3723.0, 123.0, None, 90.0, 1200.0, None, None, None, 75.0, 123.5, 123.0, 5.0, 2.5, 60.0, None]
    assert [None if pd.isna(v) else v for v in out] == expected
    assert bad.tolist() == [False, False, True, False, False, True, False, False] + [False] * 6 + [True]
    out, bad = values.parse_seconds(pd.Series(pd.to_timedelta([1, 2.5], unit="s")))
    assert out.tolist() == [1.0, 2.5] and not bad.any()
    out, bad = values.parse_seconds(pd.Series([3, 4]))
    assert out.tolist() == [3.0, 4.0] and out.dtype == float and not bad.any()


def test_times_of_day_in_every_clock_form():
    col = pd.Series(["9:50", "0:02:23", "36:05:00", "3:05 PM", "12:10 AM", "12:10 PM", "下午3:05", "上午12:00",
                     "x", 5, "8时5分3秒", "3:05 p.m.", "11:00 am", "1:02:03.5"], dtype=object)
    out = values._clock_seconds(col)
    expected = [35400.0, 143.0, 129900.0, 54300.0, 600.0, 43800.0, 54300.0, 0.0, None, None,
                8 * 3600 + 5 * 60 + 3.0, 54300.0, 39600.0, 3723.0]
    assert [None if pd.isna(v) else v for v in out] == expected


def test_a_duration_column_in_the_unit_its_header_states_or_as_clock_text():
    out, bad = values.seconds_of(pd.Series(["2", "0:02:23", "x", "3:05 PM", None], dtype=object), 60)
    assert [None if pd.isna(v) else v for v in out] == [120.0, 143.0, None, 54300.0, None]
    assert bad.tolist() == [False, False, True, False, False]
    cells = pd.Series([pd.Timestamp("1899-12-31 00:02:23"), pd.NaT, pd.Timestamp("1900-01-01 00:00:10")])
    out, bad = values.seconds_of(cells, 60)  # time cells are seconds whatever the header says
    assert out[0] == 143.0 and out[1:].isna().all() and bad.tolist() == [False, False, True]
    out, bad = values.seconds_of(pd.Series(pd.to_timedelta([90, None], unit="s")), 60)
    assert out[0] == 90.0 and pd.isna(out[1]) and not bad.any()


def test_which_of_two_columns_holds_the_time_of_day():
    assert values.time_share(pd.Series(["9:50", "2026-09-03", None, "x"], dtype=object)) == pytest.approx(1 / 3)
    assert values.time_share(pd.Series([0.5, 1.5, 0.25, 0.0], dtype=object)) == 0.75  # fractions of a day
    assert values.time_share(pd.Series([0.5, 1.5, 0.25, -0.1])) == 0.5
    assert values.time_share(pd.Series(["0.5", "9:50", 1], dtype=object)) == pytest.approx(1 / 3)
    assert values.time_share(pd.Series([None, " "], dtype=object)) == 0.0
    cells = pd.Series([pd.Timestamp("1899-12-31 08:00"), pd.Timestamp("2026-09-03")])
    assert values.time_share(cells) == 0.5


def test_a_date_and_a_time_column_join_into_one_or_show_both_texts():
    date = pd.Series(["2026-09-03", "2026-09-04", "x", None, "2026-09-05", 46268.0, " "], dtype=object)
    time = pd.Series(["08:05", 0.5, "10:00", None, "y", "1:00 PM", "7:00"], dtype=object)
    out = values.join_date_time(date, time)
    assert out.tolist() == [pd.Timestamp("2026-09-03 08:05"), pd.Timestamp("2026-09-04 12:00"), "x 10:00", None,
                            "2026-09-05 y", pd.Timestamp("2026-09-03 13:00"), "7:00"]
    cells = pd.Series([pd.Timestamp("1899-12-31 09:30"), pd.NaT])
    out = values.join_date_time(pd.Series(["2026-09-03", "2026-09-04"], dtype=object), cells)
    assert out.tolist() == [pd.Timestamp("2026-09-03 09:30"), "2026-09-04"]
    out = values.join_date_time(pd.Series(["09/03/2026"], dtype=object), pd.Series([True], dtype=object),
                                values.ParseOptions(day_first=True))
    assert out.tolist() == ["09/03/2026 True"]  # a boolean is no time of day


def test_an_extra_column_keeps_time_and_duration_cells_as_times():
    durations = pd.Series(pd.to_timedelta([143, 3600 * 36 + 5], unit="s"))
    assert values.as_written(durations).tolist() == ["0:02:23", "36:00:05"]
    times = pd.Series([pd.Timestamp("1899-12-31 00:02:23"), pd.NaT, pd.Timestamp("1899-12-31 10:00:59.6")])
    assert values.as_written(times).tolist() == ["0:02:23", None, "10:01:00"]
    dates = pd.Series([pd.Timestamp("1899-12-31 00:02:23"), pd.Timestamp("2026-01-01")])
    assert values.as_written(dates) is dates  # real dates among them: a date column, kept as it is
    text = pd.Series(["a", None], dtype=object)
    assert values.as_written(text) is text


def test_placeholders_for_none_are_blank_in_every_field():
    col = pd.Series(["-", "N/A", "无", "x", None, 3, " null ", "—/–", "none", "空", "nul"], dtype=object, index=range(3, 14))
    out, held = values.blank_placeholders(col)
    assert held.tolist() == [True, True, True, False, False, False, True, True, True, True, False]
    assert held.index.tolist() == list(range(3, 14))
    assert out.tolist() == [None, None, None, "x", None, 3, None, None, None, None, "nul"]
    arrow = pd.Series(["-", "x", None], dtype="str")
    out, held = values.blank_placeholders(arrow)
    assert held.tolist() == [True, False, False] and pd.isna(out[0]) and out[1] == "x"
    numbers = pd.Series([1.0, 2.0])
    out, held = values.blank_placeholders(numbers)
    assert out is numbers and not held.any() and len(held) == 2
    none = pd.Series(["a", "b"], dtype=object)
    assert values.blank_placeholders(none)[0] is none
    empty = pd.Series([], dtype=object)
    assert values.blank_placeholders(empty)[1].empty


def test_a_placeholder_date_is_blank_and_said_once_with_the_values_as_written():
    opts = values.ParseOptions()
    col = pd.Series(["1900-01-01", "2101-01-01", "2026-01-01", dt.datetime(1900, 1, 1, 8, 5), "1989-12-31 23:59",
                     "2100-12-31 23:59", "1990-01-01", 1.0, "1900-01-01"], dtype=object)
    out, bad = values.parse_datetime(col, opts, "closed_at")
    assert [None if pd.isna(v) else v for v in out] == [
        None, None, pd.Timestamp("2026-01-01"), None, None, pd.Timestamp("2100-12-31 23:59"),
        pd.Timestamp("1990-01-01"), None, None]
    assert bad.tolist() == [False] * 7 + [True, False]
    [(key, note)] = opts.notes
    assert key == "closed_at" and note.count == 5
    assert note.values == ["1900-01-01", "2101-01-01", "1900-01-01 08:05:00"]
    out, _ = values.parse_datetime(pd.Series(["1900-01-01"], dtype=object))  # without options: still blank
    assert out.isna().all()


def test_boolean_cells_are_no_number_and_no_duration():
    out, bad = values.parse_number(pd.Series([True, False]))
    assert out.isna().all() and bad.tolist() == [True, True]
    out, bad = values.parse_seconds(pd.Series([True, False]))
    assert out.isna().all() and bad.tolist() == [True, True]
    out, bad = values.parse_seconds(pd.Series([True, 5, "1:60:00", dt.time(1, 2, 3), "x"], dtype=object))
    assert [None if pd.isna(v) else v for v in out] == [None, 5.0, None, 3723.0, None]
    assert bad.tolist() == [True, False, True, False, True]


def test_the_masks_of_cells_not_read_are_booleans_on_the_columns_index():
    for col in (pd.Series(pd.to_timedelta([1, None], unit="s"), index=[4, 9]), pd.Series([3.0, None], index=[4, 9])):
        out, bad = values.parse_seconds(col)
        assert bad.tolist() == [False, False] and bad.index.tolist() == [4, 9] and bad.dtype == bool
        assert out.dtype == float
    out, held = values.blank_placeholders(pd.Series([1.0, 2.0], index=[4, 9]))
    assert held.tolist() == [False, False] and held.index.tolist() == [4, 9]
    out, bad = values.parse(pd.Series(["1:00", "x", " "], dtype=object), "seconds")
    assert [None if pd.isna(v) else v for v in out] == [60.0, None, None] and bad.tolist() == [False, True, False]
    out, bad = values.seconds_of(pd.Series(pd.to_timedelta([None, None])), 60)
    assert out.isna().all() and bad.tolist() == [False, False]


def test_placeholders_in_arrow_text_of_several_chunks():
    col = pd.concat([pd.Series(["-", "x"], dtype="str"), pd.Series(["无", None], dtype="str")], ignore_index=True)
    out, held = values.blank_placeholders(col)
    assert held.tolist() == [True, False, True, False] and out[1] == "x" and out.isna().tolist() == [True, False, True, True]


def test_a_join_reads_the_date_with_the_workbooks_settings_and_shows_what_it_could_not_read():
    opts = values.ParseOptions(day_first=True)
    date = pd.Series(["09/03/2026", "09/03/2026", "09/03/2026", "09/03/2026", 5.0, np.nan, dt.datetime(2026, 9, 3)],
                     dtype=object)
    time = pd.Series([0.0, 1.0, 1.5, "0.5", "08:00", "x", True], dtype=object)
    out = values.join_date_time(date, time, opts, "started_at")
    assert out.tolist() == [pd.Timestamp("2026-03-09"), "09/03/2026 1", "09/03/2026 1.5", "09/03/2026 0.5",
                            "5 08:00", "x", "2026-09-03 True"]
    assert [(key, note.order, note.reason) for key, note in opts.notes] == [("started_at", "dmy", "setting")]
    opts = values.ParseOptions()
    values.join_date_time(pd.Series(["09/03/2026"], dtype=object), pd.Series(["08:00"], dtype=object), opts)
    assert [key for key, _ in opts.notes] == [""]  # no field named: no key
    opts = values.ParseOptions()
    values.parse(pd.Series(["09/03/2026"], dtype=object), "datetime", None, opts)
    assert [key for key, _ in opts.notes] == [""]


def test_a_date_cell_at_midnight_and_from_1900_on_is_a_date_not_a_time():
    cells = pd.Series([pd.Timestamp("1899-12-31 00:02:23"), pd.Timestamp("1900-01-01")])
    assert values.as_written(cells) is cells
    out, bad = values.seconds_of(cells, 60)
    assert out[0] == 143.0 and pd.isna(out[1]) and bad.tolist() == [False, True]
    opts = values.ParseOptions()
    values.parse_datetime(pd.Series([dt.datetime(1900, 1, 1), dt.datetime(1900, 1, 1, 8, 5)], dtype=object), opts)
    assert opts.notes[0][1].values == ["1900-01-01", "1900-01-01 08:05:00"]


def test_which_column_is_the_time_in_a_csv_where_every_cell_is_text():
    # a CSV's fractions of a day are numbers written as text: they count as times of day when choosing the column
    assert values.time_share(pd.Series(["0.5", "0.25", "x", "2026-09-03"], dtype="str")) == 0.5


def test_the_date_reader_names_no_field_unless_told():
    opts = values.ParseOptions()
    values.read_datetime(pd.Series(["09/03/2026"], dtype=object), opts)
    assert [(key, note.order) for key, note in opts.notes] == [("", "mdy")]


def test_date_columns_keep_their_index_and_nanosecond_type_on_every_path():
    cells = pd.Series([dt.datetime(2026, 9, 3, 8, 5), dt.date(2026, 9, 4)], dtype=object, index=[3, 8])
    out, bad = values.parse_datetime(cells)
    assert str(out.dtype) == "datetime64[ns]" and out.index.tolist() == [3, 8] and bad.tolist() == [False, False]
    mixed = pd.Series([dt.datetime(2026, 9, 3, 8, 5), "2026/9/3 8:05", 46268.5], dtype=object, index=[3, 8, 9])
    out, bad = values.parse_datetime(mixed)
    assert str(out.dtype) == "datetime64[ns]" and out.index.tolist() == [3, 8, 9] and not bad.any()
    arrow = pd.Series(["2026/9/3 8:05", "46268.5", " "], dtype="str", index=[5, 6, 7])
    out, bad = values.parse_datetime(arrow)
    assert out.tolist()[:2] == [pd.Timestamp("2026-09-03 08:05"), pd.Timestamp("2026-09-03 12:00")]
    assert out.index.tolist() == [5, 6, 7] and bad.tolist() == [False, False, False]
    out, bad = values.parse_datetime(pd.Series([" ", ""], dtype=object, index=[1, 2]))  # only blanks: no error
    assert out.isna().all() and bad.tolist() == [False, False] and str(out.dtype) == "datetime64[ns]"


def test_full_width_digits_in_arrow_text_are_read_with_the_workbooks_settings():
    wide = pd.Series(["０９/０３/２０２６ ０８:０５", "２０２６-０９-０３T０８:０５Z"], dtype="str", index=[4, 5])
    for day_first, offset, expected in ((True, 0.0, ["2026-03-09 08:05", "2026-09-03 08:05"]),
                                        (False, 8.0, ["2026-09-03 08:05", "2026-09-03 16:05"])):
        opts = values.ParseOptions(day_first=day_first, utc_offset_h=offset)
        out, bad = values.parse_datetime(wide, opts, "created_at")
        assert out.tolist() == [pd.Timestamp(t) for t in expected] and not bad.any()


def test_blank_masks_keep_the_columns_index():
    assert values.is_blank(pd.Series([" ", "a", None], dtype="str", index=[5, 6, 7])).tolist() == [True, False, True]
    assert values.is_blank(pd.Series([" ", "a"], dtype="str", index=[5, 6])).index.tolist() == [5, 6]
    assert values.map_unique(pd.Series([None, None], index=[4, 9], dtype=object), str).index.tolist() == [4, 9]


def test_a_placeholder_date_written_year_last_is_blank_not_a_date_in_2001():
    opts = values.ParseOptions()
    out, bad = values.parse_datetime(pd.Series(["01/01/0001", "1-Jan-0001", "01/01/01"], dtype=object), opts)
    assert out[:2].isna().all() and out[2] == pd.Timestamp("2001-01-01") and not bad.any()
    assert opts.notes[-1][1].values == ["01/01/0001", "1-Jan-0001"]


def test_whole_columns_of_numbers_datetimes_and_arrow_text_are_never_read_value_by_value(monkeypatch):
    """The module's promise for million-row exports: such columns are read in one vectorised call, never through
    the per-value helpers (a regression here is minutes, not seconds, on a real export)."""
    def refuse(*args, **kwargs):
        raise AssertionError("read value by value")

    monkeypatch.setattr(values, "_text", refuse)
    monkeypatch.setattr(values, "map_unique", refuse)
    for col, expected in ((pd.Series([1.5, None, 2], dtype=object), [1.5, None, 2.0]),
                          (pd.Series([1.0, 2.5], dtype=object), [1.0, 2.5]), (pd.Series([1, 2], dtype=object), [1.0, 2.0]),
                          (pd.Series([None, None], dtype=object), [None, None])):
        out, bad = values.parse_number(col)
        assert [None if pd.isna(v) else v for v in out] == expected and not bad.any()
    out, bad = values.parse_datetime(pd.Series(["2026/9/3 8:05", None, "46268.5"], dtype="str"))
    assert out.tolist()[::2] == [pd.Timestamp("2026-09-03 08:05"), pd.Timestamp("2026-09-03 12:00")] and not bad.any()
    for col in (pd.Series(pd.to_timedelta([1, None], unit="s")), pd.Series([1.0, None])):
        out, bad = values.parse_seconds(col)
        assert out[0] == 1.0 and pd.isna(out[1]) and not bad.any()
    assert values.blank_placeholders(pd.Series([1.0, 2.0]))[1].tolist() == [False, False]
    assert values.is_blank(pd.Series([" ", "a"], dtype="str")).tolist() == [True, False]
    monkeypatch.setattr(values, "is_blank", refuse)
    cells = pd.Series([dt.datetime(2026, 9, 3, 8, 5), None, dt.date(2026, 9, 4)], dtype=object)
    out, bad = values.parse_datetime(cells)
    assert out.tolist()[::2] == [pd.Timestamp("2026-09-03 08:05"), pd.Timestamp("2026-09-04")] and not bad.any()
    out, bad = values.parse_datetime(pd.Series([46268.5, np.nan]))
    assert out[0] == pd.Timestamp("2026-09-03 12:00") and not bad.any()
    out, bad = values.parse_datetime(pd.Series([dt.datetime(2026, 9, 3, 8, 5), None], dtype=object))
    assert out[0] == pd.Timestamp("2026-09-03 08:05") and not bad.any()
    out, bad = values.parse_datetime(pd.Series([np.datetime64("2026-09-03T08:05"), None], dtype=object))
    assert out[0] == pd.Timestamp("2026-09-03 08:05") and not bad.any()
    out, bad = values.parse_datetime(pd.Series([None, None], dtype=object))
    assert out.isna().all() and not bad.any()


def test_a_column_of_neither_durations_nor_datetimes_has_no_time_cells_on_its_own_index():
    out = values._time_cell(pd.Series(["a", "b"], index=[3, 4]))
    assert out.index.tolist() == [3, 4] and out.dtype == float and out.isna().all()
