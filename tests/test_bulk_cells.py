"""The bulk cell reader (numpy over the sheet bytes) against the tolerant
per-cell reader: every cell form Excel and other programs write must read the
same through both, or the sheet must be handed to the tolerant reader whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.a1 import column_letters
from addin.xlsx.book import WorkbookFile
from addin.xlsx.cells import NotBulk, SheetCells, read_bulk
from addin.xlsx.package import open_package

from .workbooks import SHIPPED

PART = "xl/worksheets/sheet99.xml"


@pytest.fixture(scope="module")
def book() -> WorkbookFile:
    return WorkbookFile(open_package(Path(SHIPPED), SHIPPED.read_bytes()))


def sheet_xml(rows: list[tuple[int, list[str]]]) -> bytes:
    body = "".join(
        f'<row r="{number}" spans="1:20">{"".join(cells)}</row>' if cells else f'<row r="{number}"/>'
        for number, cells in rows
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:T9"/><sheetData>{body}</sheetData></worksheet>'
    ).encode()


def both(book: WorkbookFile, xml: bytes, chunk: int) -> tuple[SheetCells | None, dict]:
    tolerant = book.read_cells_tolerant(xml, PART)
    try:
        bulk = read_bulk(
            xml, book.shared_strings, book.date_styles, lambda a, b: book.cell_from(a, b, PART), chunk
        )
    except NotBulk:
        bulk = None
    return bulk, tolerant


def assert_same(bulk: SheetCells, tolerant: dict) -> None:
    assert len(bulk) == len(tolerant)
    for (row, col), cell in tolerant.items():
        got = bulk.get(row, col)
        assert got is not None, (row, col)
        assert (type(got.value), got.value) == (type(cell.value), cell.value), (row, col, got, cell)
        assert (got.style, got.formula, got.cached) == (cell.style, cell.formula, cell.cached), (row, col)


def date_style(book: WorkbookFile) -> int:
    return min(book.date_styles)


# Cell forms: (xml template with {ref}, usual Excel form?)
def cell_forms(book: WorkbookFile) -> st.SearchStrategy[str]:
    d = date_style(book)
    n = len(book.shared_strings)
    values = st.one_of(
        st.integers(0, 10**15).map(str),
        st.integers(-(10**6), -1).map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        st.sampled_from(["1E-3", "0.30000000000000004", "1e", "", "007", "44197.5", "-0", "1_0", " 3"]),
    )
    usual = st.one_of(
        values.map(lambda v: '<c r="{ref}"><v>' + v + "</v></c>"),
        st.tuples(st.integers(0, 40), values).map(lambda t: f'<c r="{{ref}}" s="{t[0]}"><v>{t[1]}</v></c>'),
        values.map(lambda v: f'<c r="{{ref}}" s="{d}"><v>' + v + "</v></c>"),
        st.integers(0, n - 1).map(lambda i: f'<c r="{{ref}}" t="s"><v>{i}</v></c>'),
        st.integers(0, n - 1).map(lambda i: f'<c r="{{ref}}" s="7" t="s"><v>{i}</v></c>'),
        st.integers(0, 40).map(lambda s: f'<c r="{{ref}}" s="{s}"/>'),
        st.just('<c r="{ref}" t="n"><v>12</v></c>'),
        st.just('<c r="{ref}"></c>'),
    )
    unusual = st.sampled_from(
        [
            '<c r="{ref}" t="inlineStr"><is><t>dua &amp; tiga</t></is></c>',
            '<c r="{ref}" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c>',
            '<c r="{ref}" t="e"><v>#DIV/0!</v></c>',
            '<c r="{ref}" t="e"><v>#SPILL!</v></c>',
            '<c r="{ref}" t="b"><v>1</v></c>',
            '<c r="{ref}" t="str"><f>A1</f><v>a&lt;b</v></c>',
            '<c r="{ref}"><f>1+1</f></c>',
            '<c r="{ref}"><f>1+1</f><v>2</v></c>',
            '<c r="{ref}" s="3"><f t="shared" si="0"/><v>5</v></c>',
            '<c r="{ref}" t="d"><v>2021-01-01T00:00:00</v></c>',
            '<c r="{ref}" cm="1"><v>4</v></c>',
            "<c r=\"{ref}\" t='s'><v>3</v></c>",
            '<c r="{ref}" s="1" t="s" ph="1"><v>3</v></c>',
            '<c r="{ref}"><v>1&#46;5</v></c>',
            '<c r="{ref}" t="s"><v>99999999</v></c>',
            '<c r="{ref}" t="s"><v>x</v></c>',
            '<c r="{ref}" s = "2"><v>3</v></c>',
        ]
    )
    return st.one_of(usual, usual, usual, unusual)


@st.composite
def sheets(draw: st.DrawFn, book: WorkbookFile) -> list[tuple[int, list[str]]]:
    forms = cell_forms(book)
    row_numbers = sorted(draw(st.sets(st.integers(1, 3000), min_size=0, max_size=12)))
    rows = []
    for number in row_numbers:
        cols = sorted(draw(st.sets(st.integers(1, 800), max_size=8)))
        cells = []
        for col in cols:
            ref = f"{column_letters(col)}{number}"
            if draw(st.integers(0, 30)) == 0:
                ref = draw(st.sampled_from([ref.lower(), "$" + ref, f"{column_letters(col)}${number}"]))
            cells.append(draw(forms).replace("{ref}", ref))
        rows.append((number, cells))
    return rows


def test_every_cell_form_reads_alike(book: WorkbookFile) -> None:
    @settings(max_examples=300, deadline=None)
    @given(rows=sheets(book), chunk=st.sampled_from([1, 64, 300, 4 * 1024 * 1024]))
    def check(rows: list[tuple[int, list[str]]], chunk: int) -> None:
        xml = sheet_xml(rows)
        try:
            bulk, tolerant = both(book, xml, chunk)
        except Exception as problem:  # a broken shared-string number: both must refuse alike
            with pytest.raises(type(problem), match="teks bersama"):
                read_bulk(xml, book.shared_strings, book.date_styles, lambda a, b: book.cell_from(a, b, PART))
            return
        assert bulk is not None, "Excel's usual forms and single odd cells stay in the bulk reader"
        assert_same(bulk, tolerant)

    check()


@pytest.mark.parametrize(
    "body",
    [
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>',  # namespace prefix
        '<row spans="1:2" r="1"><c r="A1"><v>1</v></c></row>',  # r not first
        '<row><c r="A1"><v>1</v></c></row>',  # no row number
        '<row r="1"><c><v>1</v></c></row>',  # no reference
        '<row r="1"><c s="1" r="A1"><v>1</v></c></row>',  # r not first
        '<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row>',  # out of order
        '<row r="1"><c r="B1"><v>1</v></c><c r="B1"><v>2</v></c></row>',  # repeated
        '<row r="1"><c r="A1"><v>1</v></c ></row>',  # a space before >
    ],
)
def test_unusual_sheets_go_to_the_tolerant_reader_whole(book: WorkbookFile, body: str) -> None:
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + body
        + "</sheetData></worksheet>"
    ).encode()
    if body.startswith("<x:"):
        xml = xml.replace(b"<sheetData>", b"<x:sheetData>").replace(b"</sheetData>", b"</x:sheetData>")
    with pytest.raises(NotBulk):
        read_bulk(xml, book.shared_strings, book.date_styles, lambda a, b: book.cell_from(a, b, PART))
    # ... and the workbook still reads: the tolerant reader takes the sheet.
    assert book.read_cells_tolerant(xml, PART)


def test_a_hand_written_row_reads_to_the_values_excel_shows(book: WorkbookFile) -> None:
    """Values checked by hand, not only against the other reader."""
    d = date_style(book)
    index = book.shared_strings.index("Kecamatan")
    xml = sheet_xml(
        [
            (
                6,
                [
                    '<c r="A6" s="9"><v>1</v></c>',
                    f'<c r="B6" s="{d}"><v>44197</v></c>',
                    f'<c r="C6" s="7" t="s"><v>{index}</v></c>',
                    '<c r="D6" s="7"/>',
                    '<c r="I6"><v>0.3</v></c>',
                    '<c r="J6"><v>-2</v></c>',
                    '<c r="K6" t="e"><v>#N/A</v></c>',
                    '<c r="L6"><f>1/0</f></c>',
                    '<c r="AA6"><v>123456789012345</v></c>',
                ],
            )
        ]
    )
    cells = read_bulk(xml, book.shared_strings, book.date_styles, lambda a, b: book.cell_from(a, b, PART))
    numbers, rows, uncached = cells.block(6, 6, 1, 27)
    assert numbers == [6]
    row = rows[0]
    assert row[:4] == [1.0, "2021-01-01T00:00:00", "Kecamatan", None]
    assert row[8:12] == [0.3, -2.0, "#N/A", None]
    assert row[26] == 123456789012345.0
    assert uncached == {(0, 11)}
    assert cells.filled_in(6, 6, 4, 4) == []
    assert cells.filled_in(6, 6, 1, 27) == [
        (6, 1),
        (6, 2),
        (6, 3),
        (6, 9),
        (6, 10),
        (6, 11),
        (6, 12),
        (6, 27),
    ]


def test_a_number_no_date_can_have_stays_a_number(book: WorkbookFile) -> None:
    """A date-formatted cell beyond 9999-12-31 (Excel shows ####) or negative
    is read as its number in both readers, not a crash."""
    d = date_style(book)
    xml = sheet_xml(
        [
            (
                1,
                [
                    f'<c r="A1" s="{d}"><v>2958465</v></c>',
                    f'<c r="B1" s="{d}"><v>2958466</v></c>',
                    f'<c r="C1" s="{d}"><v>-1</v></c>',
                    f'<c r="D1" s="{d}"><v>1e300</v></c>',
                ],
            )
        ]
    )
    bulk, tolerant = both(book, xml, 1024)
    assert bulk is not None
    assert_same(bulk, tolerant)
    assert bulk.block(1, 1, 1, 4)[1] == [["9999-12-31T00:00:00", 2958466.0, -1.0, 1e300]]


def test_cells_at_the_grid_edge_and_beyond_it(book: WorkbookFile) -> None:
    """XFD1048576 is read; a cell outside Excel's grid (a broken file) is left
    out by both readers instead of landing on another cell or crashing."""
    xml = sheet_xml(
        [
            (7, ['<c r="XFD7"><v>1</v></c>', '<c r="ZZZ7"><v>2</v></c>']),
            (8, ['<c r="A8" s="99999999999999999999999"><v>3</v></c>']),
            (1048576, ['<c r="A1048576"><v>4</v></c>', '<c r="XFD1048576"><v>5</v></c>']),
            (99999999999999999999, ['<c r="A99999999999999999999"><v>6</v></c>']),
        ]
    )
    with pytest.raises(NotBulk):
        read_bulk(xml, book.shared_strings, book.date_styles, lambda a, b: book.cell_from(a, b, PART))
    cells = SheetCells.from_dict(book.read_cells_tolerant(xml, PART))
    assert len(cells) == 4
    assert cells.get(7, 16384).value == 1.0 and cells.get(8, 1).value == 3.0
    assert cells.get(8, 1).style == -1  # no such style: not a date either
    assert cells.block(1048576, 1048576, 1, 16384)[1][0][0] == 4.0
    assert cells.block(1048576, 1048576, 1, 16384)[1][0][-1] == 5.0
    assert cells.block(7, 7, 16383, 16384)[1] == [[None, 1.0]]
    assert cells.block(8, 8, 1, 1)[1] == [[3.0]]


def test_the_last_column_keeps_its_place_in_odd_and_even_rows(book: WorkbookFile) -> None:
    rows = [(r, [f'<c r="A{r}"><v>{r}</v></c>', f'<c r="XFD{r}"><v>{-r}</v></c>']) for r in (7, 8, 9)]
    xml = sheet_xml(rows)
    bulk, tolerant = both(book, xml, 64)
    assert bulk is not None
    assert_same(bulk, tolerant)
    assert bulk.block(7, 9, 1, 1)[1] == [[7.0], [8.0], [9.0]]
    assert [row[-1] for row in bulk.block(7, 9, 1, 16384)[1]] == [-7.0, -8.0, -9.0]
