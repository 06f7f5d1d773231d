"""The streamed sheet writer (``ooxml/sheetdata.py``) on a sheet part written by hand: the table's cells, the
cells around it kept or moved down, what it refuses, and the text it escapes."""
import pandas as pd
import pyarrow as pa
import pytest

from pyaddin.errors import QBError
from pyaddin.ooxml import sheetdata as sd

SHEET = (b'<worksheet><dimension ref="A1:D5"/><sheetData>'
         b'<row r="1"><c r="A1" t="inlineStr"><is><t>Title</t></is></c></row>'
         b'<row r="2" spans="1:4" ht="20" customHeight="1"><c r="B2" t="inlineStr"><is><t>old</t></is></c>'
         b'<c r="C2"/><c r="D2"><v>9</v></c></row>'
         b'<row r="3"><c r="A3"><v>1</v></c><c r="B3"><v>5</v></c><c r="D3" s="2"><v>3</v></c></row>'
         b'<row r="5"><c r="B5"><v>7</v></c><c r="D5"><v>8</v></c></row>'
         b'</sheetData><tableParts count="1"/></worksheet>')
OLD = (1, 2, 2, 3)  # the table B2:C3


def columns(n=3):
    nums = pd.Series([1.5, None, 3.0, 4.0, 5.0][:n])
    texts = pd.Series(["a<b", None, "x&y\r", "d", "e"][:n], dtype=object)
    return [sd.Column("n<&>", nums, True), sd.Column("t", texts, False)]


def written(xml=SHEET, old=OLD, cols=None, header_style="4", styles=None):
    w = sd.SheetWrite(xml, old, columns() if cols is None else cols, header_style,
                      {1: "5"} if styles is None else styles, "S")
    return w, b"".join(bytes(c) for c in w.chunks()).decode()


HEADER = ('<c r="B2" s="4" t="inlineStr"><is><t xml:space="preserve">n&lt;&amp;&gt;</t></is></c>'
          '<c r="C2" s="4" t="inlineStr"><is><t xml:space="preserve">t</t></is></c>')


def test_the_table_is_rewritten_between_the_cells_around_it_and_those_below_move_down_as_it_grows():
    w, xml = written()
    assert w.ref() == "B2:C5"
    assert xml == (
        '<worksheet><dimension ref="A1:D7"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Title</t></is></c></row>'
        '<row r="2" ht="20" customHeight="1">' + HEADER + '<c r="D2"><v>9</v></c></row>'
        '<row r="3"><c r="A3"><v>1</v></c><c r="B3" s="5"><v>1.5</v></c>'
        '<c r="C3" t="inlineStr"><is><t xml:space="preserve">a&lt;b</t></is></c><c r="D3" s="2"><v>3</v></c></row>'
        '<row r="4"></row>'
        '<row r="5"><c r="B5" s="5"><v>3</v></c>'
        '<c r="C5" t="inlineStr"><is><t xml:space="preserve">x&amp;y&#13;</t></is></c><c r="D5"><v>8</v></c></row>'
        '<row r="7"><c r="B7"><v>7</v></c></row>'
        '</sheetData><tableParts count="1"/></worksheet>')


def test_rows_written_in_several_chunks_are_the_same_bytes(monkeypatch):
    _, whole = written()
    monkeypatch.setattr(sd, "CHUNK_ROWS", 2)
    w = sd.SheetWrite(SHEET, OLD, columns(), "4", {1: "5"}, "S")
    parts = [bytes(c) for c in w.chunks()]
    assert b"".join(parts).decode() == whole and len(parts) == 5  # head, two chunks of rows, row 7, tail


def test_a_table_without_styles_and_a_shorter_one_leave_no_old_rows():
    _, xml = written(cols=columns(1), header_style="", styles={})
    assert xml == (
        '<worksheet><dimension ref="A1:D5"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Title</t></is></c></row>'
        '<row r="2" ht="20" customHeight="1">'
        '<c r="B2" t="inlineStr"><is><t xml:space="preserve">n&lt;&amp;&gt;</t></is></c>'
        '<c r="C2" t="inlineStr"><is><t xml:space="preserve">t</t></is></c><c r="D2"><v>9</v></c></row>'
        '<row r="3"><c r="A3"><v>1</v></c><c r="B3"><v>1.5</v></c>'
        '<c r="C3" t="inlineStr"><is><t xml:space="preserve">a&lt;b</t></is></c><c r="D3" s="2"><v>3</v></c></row>'
        '<row r="5"><c r="B5"><v>7</v></c><c r="D5"><v>8</v></c></row>'
        '</sheetData><tableParts count="1"/></worksheet>')


def test_an_empty_table_keeps_one_empty_row():
    w, xml = written(cols=columns(0))
    assert w.ref() == "B2:C3" and '<row r="3"><c r="A3"><v>1</v></c><c r="D3" s="2"><v>3</v></c></row>' in xml


def test_a_cell_where_the_table_would_grow_is_refused_not_overwritten():
    cols = columns() + [sd.Column("u", pd.Series([1.0, 2.0, 3.0]), True)]
    with pytest.raises(QBError) as e:
        written(cols=cols)
    assert e.value.key == "cell_in_the_way" and e.value.kw == {"sheet": "S", "cell": "D2"}


def test_more_rows_than_excel_holds_are_refused(monkeypatch):
    monkeypatch.setattr(sd, "MAX_ROW", 4)
    with pytest.raises(QBError) as e:
        written()
    assert e.value.key == "too_many_rows" and e.value.kw == {"sheet": "S", "rows": 3, "limit": 2}
    monkeypatch.setattr(sd, "MAX_ROW", 6)  # the table fits, but the cell below it would move past the last row
    with pytest.raises(QBError) as e:
        written()
    assert e.value.key == "too_many_rows" and e.value.kw == {"sheet": "S", "rows": 3, "limit": 4}
    monkeypatch.setattr(sd, "MAX_ROW", 7)
    assert written()[0].ref() == "B2:C5"


def test_a_sheet_whose_used_range_is_the_table_alone_is_read_no_further():
    only = (b'<worksheet><dimension ref="B2:C3"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
            b'<row r="2"><c r="B2"/></row><row r="3"><c r="B3"><v>5</v></c></row></sheetData></worksheet>')
    _, xml = written(only, cols=columns(1))
    assert xml.startswith('<worksheet><dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>')
    assert sd.SheetWrite._only_table_below(only, 1, 2, 2, 3)
    assert not sd.SheetWrite._only_table_below(SHEET, 1, 2, 2, 3)  # D and row 5 lie outside
    for ref in ("A2:C3", "B2:D3", "B2:C4"):
        assert not sd.SheetWrite._only_table_below(f'<dimension ref="{ref}"/>'.encode(), 1, 2, 2, 3)
    assert sd.SheetWrite._only_table_below(b'<dimension ref="C2:C3"/>', 1, 2, 2, 3)
    assert not sd.SheetWrite._only_table_below(b'<dimension ref="bad"/>', 1, 2, 2, 3)
    assert not sd.SheetWrite._only_table_below(b"<sheetData/>", 1, 2, 2, 3)


def test_a_sheet_without_rows_gets_the_table():
    w, xml = written(b'<worksheet><sheetData/></worksheet>', (0, 1, 1, 2), cols=columns(1), header_style="",
                     styles={})
    assert xml == ('<worksheet><sheetData><row r="1">'
                   '<c r="A1" t="inlineStr"><is><t xml:space="preserve">n&lt;&amp;&gt;</t></is></c>'
                   '<c r="B1" t="inlineStr"><is><t xml:space="preserve">t</t></is></c></row>'
                   '<row r="2"><c r="A2"><v>1.5</v></c>'
                   '<c r="B2" t="inlineStr"><is><t xml:space="preserve">a&lt;b</t></is></c></row>'
                   '</sheetData></worksheet>')


def test_where_the_sheet_data_lies():
    assert sd.sheet_data_span(b"<a><sheetData/><b/></a>") == (3, 15)
    assert sd.sheet_data_span(b'<a><sheetData x="1"><row r="1"/></sheetData></a>') == (3, 44)
    assert sd.sheet_data_span(b"<sheetData/>") == (0, 12)
    with pytest.raises(ValueError, match="^no sheetData in the sheet part$"):
        sd.sheet_data_span(b"<a/>")


@pytest.mark.parametrize("index, letters", [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (701, "ZZ"), (702, "AAA")])
def test_column_letters_both_ways(index, letters):
    assert sd.col_letter(index) == letters
    assert sd.col_index(letters) == index and sd.col_index(letters.encode()) == index


def test_cell_references():
    assert sd.split_ref("$B$3:F10") == (1, 3, 5, 10)
    assert sd.split_ref("C7") == (2, 7, 2, 7)


def test_text_is_escaped_for_xml_and_for_excel():
    arr = pa.array(["_x0020_", "a\x01b\x0b\x1f", None, "\ufffe\uffff", "<&>\r", "plain", "\tok\n"], pa.large_string())
    assert sd.xml_text(arr).to_pylist() == ["_x005F_x0020_", "ab", None, "", "&lt;&amp;&gt;&#13;", "plain", "\tok\n"]
    clean = pa.array(["a", "b\n"], pa.large_string())
    assert sd.xml_text(clean) is clean
    assert sd._escape("_x0041_ a\x01\r<") == "_x005F_x0041_ a&#13;&lt;"


@pytest.mark.parametrize("dtype", [object, "str", "string[pyarrow]", "string[python]", pd.ArrowDtype(pa.string()),
                                   pd.ArrowDtype(pa.large_string())])
def test_text_columns_of_every_kind_go_to_arrow_as_large_strings(dtype):
    arr = sd._arrow(pd.Series(["a", None, "c"], dtype=dtype), False)
    assert arr.type == pa.large_string() and arr.to_pylist() == ["a", None, "c"]


def test_a_lone_surrogate_becomes_the_replacement_character_and_numbers_stay_numbers():
    assert sd._arrow(pd.Series(["a\ud800b", None, "c"], dtype=object), False).to_pylist() == ["a\ufffdb", None, "c"]
    assert sd._arrow(pd.Series([1, None, 2.5], dtype=object), True).to_pylist() == [1.0, None, 2.5]
    for nums in (pd.Series([1, 2]), pd.Series([1, 2], dtype=object), pd.Series([1, None], dtype="Int64")):
        assert sd._arrow(nums, True).type == pa.float64()  # numbers as doubles, whatever the column held
    assert sd._arrow(pd.Series([float("nan"), None, pd.NA], dtype=object), False).to_pylist() == [None] * 3
    assert sd.is_arrow_text(pd.StringDtype()) and not sd.is_arrow_text(object)


def test_two_notes_on_each_side_of_a_row_and_two_rows_above_keep_their_order():
    xml = (b'<worksheet><dimension ref="A1:F3"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
           b'<row r="2"><c r="A2"><v>2</v></c></row>'
           b'<row r="3"><c r="A3"><v>3</v></c><c r="B3"><v>4</v></c><c r="C3"/><c r="E3"><v>5</v></c>'
           b'<c r="F3"><v>6</v></c></row></sheetData></worksheet>')
    _, out = written(xml, (2, 3, 3, 4), cols=columns(1), header_style="", styles={})
    assert out.startswith('<worksheet><dimension ref="A1:F4"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
                          '<row r="2"><c r="A2"><v>2</v></c></row><row r="3"><c r="A3"><v>3</v></c>'
                          '<c r="B3"><v>4</v></c><c r="C3" t="inlineStr">')
    assert '<c r="E3"><v>5</v></c><c r="F3"><v>6</v></c></row>' in out


def test_notes_beside_every_row_of_a_table_written_in_many_chunks_are_the_same_bytes(monkeypatch):
    notes = b"".join(b'<row r="%d"><c r="D%d"><v>%d</v></c></row>' % (r, r, r) for r in range(3, 9))
    xml = b'<worksheet><dimension ref="A1:D8"/><sheetData>' + notes + b"</sheetData></worksheet>"
    cols = columns(5)
    _, whole = written(xml, OLD, cols=cols, styles={1: "5", 2: "6"})
    assert '<row r="7"><c r="B7" s="5"><v>5</v></c><c r="C7" s="6" t="inlineStr"><is><t xml:space="preserve">e</t>' \
           '</is></c><c r="D7"><v>7</v></c></row>' in whole
    assert '<row r="8"><c r="D8"><v>8</v></c></row>' in whole
    monkeypatch.setattr(sd, "CHUNK_ROWS", 2)
    _, chunked = written(xml, OLD, cols=cols, styles={1: "5", 2: "6"})
    assert chunked == whole


def test_a_table_may_end_on_the_last_row_excel_has(monkeypatch):
    only = (b'<worksheet><dimension ref="B2:C3"/><sheetData><row r="2"><c r="B2"/></row></sheetData></worksheet>')
    monkeypatch.setattr(sd, "MAX_ROW", 5)
    assert written(only, cols=columns(3))[0].ref() == "B2:C5"
    with pytest.raises(QBError):
        written(only, cols=columns(4))


def test_a_cell_moved_down_onto_an_empty_row_takes_that_rows_attributes():
    xml = SHEET.replace(b"</sheetData>", b'<row r="7" ht="30" customHeight="1"/></sheetData>')
    _, out = written(xml)
    assert '<row r="7" ht="30" customHeight="1"><c r="B7"><v>7</v></c></row>' in out


def test_a_row_holding_only_the_old_tables_cells_is_written_anew_the_header_keeping_its_height():
    """The cells are the new table's; the header row keeps its height (so that wrapped headers are not cut), a data
    row below it is written anew."""
    xml = (b'<worksheet><sheetData><row r="2" ht="40" customHeight="1"><c r="B2"/></row>'
           b'<row r="3" ht="50"><c r="B3"><v>1</v></c></row></sheetData></worksheet>')
    _, out = written(xml, cols=columns(1), header_style="", styles={})
    assert out == ('<worksheet><sheetData><row r="2" ht="40" customHeight="1">'
                   '<c r="B2" t="inlineStr"><is><t xml:space="preserve">n&lt;&amp;&gt;</t></is></c>'
                   '<c r="C2" t="inlineStr"><is><t xml:space="preserve">t</t></is></c></row>'
                   '<row r="3"><c r="B3"><v>1.5</v></c>'
                   '<c r="C3" t="inlineStr"><is><t xml:space="preserve">a&lt;b</t></is></c></row>'
                   '</sheetData></worksheet>')


def test_the_bytes_of_a_slice_or_of_chunks_of_strings():
    arr = pa.array(["ab", "c", "de"], pa.large_string())
    assert bytes(sd._buffer_bytes(arr.slice(0, 2))) == b"abc" and bytes(sd._buffer_bytes(arr.slice(1, 1))) == b"c"
    assert bytes(sd._buffer_bytes(pa.chunked_array([arr, arr.slice(1)]))) == b"abcdecde"


def test_a_cell_below_the_old_tables_last_column_moves_down_and_one_on_the_new_last_row_is_in_the_way():
    xml = SHEET.replace(b'<c r="D5"><v>8</v></c>', b'<c r="C5"><v>6</v></c><c r="D5"><v>8</v></c>')
    _, out = written(xml)
    assert '<row r="7"><c r="B7"><v>7</v></c><c r="C7"><v>6</v></c></row>' in out
    wide = (b'<worksheet><sheetData><row r="2"><c r="B2"/></row><row r="5"><c r="D5"><v>8</v></c></row>'
            b'</sheetData></worksheet>')
    with pytest.raises(QBError) as e:
        written(wide, cols=columns() + [sd.Column("u", pd.Series([1.0, 2.0, 3.0]), True)])
    assert e.value.kw == {"sheet": "S", "cell": "D5"}
