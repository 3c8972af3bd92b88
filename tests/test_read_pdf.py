"""The PDF reader takes what is printed: text a PDF's text layer holds outside the page box is read by no one and
must not be read twice (上海 普陀区财政局 2025 carries page 7's whole 编制说明 again above page 8's top edge).

Known gap: the same report also hides text inside the page box behind a clipping path (page 7 ends with items
9–11 below its visible area, page 8 starts with items 7–8 above its own); pdfplumber does not expose clipping, so
those lines are still read on both pages — the statements reader reads a passage printed twice once."""

from __future__ import annotations

from etl.read.pdf import read_pdf

from .pdf_fixtures import text_pdf
from .samples import SAMPLES, needs_samples


def test_text_above_the_page_box_is_not_read(tmp_path):
    pdf = text_pdf(tmp_path / "hidden.pdf", ["Printed line"], off_page=["Hidden line"])
    assert [b.text for b in read_pdf(pdf).text_lines()] == ["Printed line"]


@needs_samples
def test_finance_2025_reads_its_explanation_once():
    source = read_pdf(SAMPLES / "shanghai-putuo-finance-2025-dept-budget.pdf")
    opening = [ln.page for ln in source.text_lines() if ln.text.startswith("2025年，上海市普陀区财政局收入预算")]
    assert opening == [7]
