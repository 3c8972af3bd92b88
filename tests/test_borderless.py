"""Borderless tables read back as grids from word positions (etl/read/borderless.py), on hand-built lines.

Each line is built as pdfplumber gives it (top, bottom, chars with x0/x1), a CJK character 10 points wide and a
digit 5, so the tests say where each word is printed — the one thing a borderless print keeps of its columns."""

from __future__ import annotations

from etl.read import borderless
from etl.read.borderless import Carry, grids

LINE_H = 10.0


def line(top: float, *words: tuple[float, str]) -> dict:
    """A text line at `top` printing each (x0, text) word."""
    chars = []
    for x0, text in words:
        x = x0
        for ch in text:
            width = 10.0 if ord(ch) > 0x2E80 else 5.0
            chars.append({"text": ch, "x0": x, "x1": x + width, "top": top, "bottom": top + LINE_H})
            x += width
    return {"top": top, "bottom": top + LINE_H, "text": " ".join(t for _, t in words), "chars": chars}


def amount(right: float, text: str) -> tuple[float, str]:
    """A word printed flush right at x = right (amounts, and here their column labels too)."""
    return (right - sum(10.0 if ord(ch) > 0x2E80 else 5.0 for ch in text), text)


# names from x=100 (at most 7 characters: up to 170); 合计 ends at 250, 人员经费 at 330, 公用经费 at 410
HEADER = [line(0, (100, "科目名称"), amount(250, "合计"), amount(330, "人员经费"), amount(410, "公用经费"))]


def test_an_amount_is_read_in_the_column_it_is_printed_under() -> None:
    """商品和服务支出 prints 合计 and 公用经费 with 人员经费 blank: one space between the two amounts in the text, but
    the second one stands under 公用经费."""
    lines = HEADER + [
        line(14, (100, "工资福利支出"), amount(250, "6,958,414"), amount(330, "6,958,414")),
        line(28, (100, "商品和服务支出"), amount(250, "2,120,950"), amount(410, "2,120,950")),
    ]
    found, used = grids(lines, 1, Carry())
    assert used == {0, 1, 2}
    (_, grid), = found
    assert grid.rows == [
        ["科目名称", "合计", "人员经费", "公用经费"],
        ["工资福利支出", "6,958,414", "6,958,414", ""],
        ["商品和服务支出", "2,120,950", "", "2,120,950"],
    ]


def test_a_column_no_row_fills_is_kept_where_the_header_prints_it() -> None:
    lines = HEADER + [
        line(14, (100, "工资福利支出"), amount(250, "100"), amount(330, "100")),
        line(28, (100, "社会保障缴费"), amount(250, "50"), amount(330, "50")),
    ]
    (_, grid), = grids(lines, 1, Carry())[0]
    assert grid.rows[0] == ["科目名称", "合计", "人员经费", "公用经费"]
    assert grid.rows[2] == ["社会保障缴费", "50", "50", ""]


def test_prose_with_figures_is_not_a_table() -> None:
    lines = [line(0, (20, "一般公共预算支出"), (120, "123.45")),
             line(14, (20, "比上年增加"), (80, "12.30"), (120, "万元，主要原因是人员增加。")),
             line(28, (20, "第"), (35, "3"), (45, "页"))]
    assert grids(lines, 1, Carry()) == ([], set())


def test_a_continuation_page_without_header_keeps_the_columns_above() -> None:
    """Page 2 repeats no header and fills only 公用经费: its amounts stay in that column, not the first free one."""
    carry = Carry()
    grids(HEADER + [line(14, (100, "工资福利支出"), amount(250, "10"), amount(330, "10")),
                    line(28, (100, "商品和服务支出"), amount(250, "20"), amount(410, "20"))], 1, carry)
    (_, grid), = grids([line(0, (100, "办公费"), amount(250, "5"), amount(410, "5")),
                        line(14, (100, "水费"), amount(250, "15"), amount(410, "15"))], 2, carry)[0]
    assert grid.rows == [["办公费", "5", "", "5"], ["水费", "15", "", "15"]]


def test_a_label_wrapped_over_two_lines_joins_the_row_without_one() -> None:
    lines = HEADER + [
        line(14, (100, "基本工资"), amount(250, "10"), amount(330, "10")),
        line(26, amount(250, "30"), amount(330, "30")),
        line(36, (100, "机关事业单位")),
        line(50, (100, "津贴补贴"), amount(250, "20"), amount(330, "20")),
    ]
    (_, grid), = grids(lines, 1, Carry())[0]
    assert grid.rows[2] == ["机关事业单位", "30", "30", ""]
    assert len(grid.rows) == 4


def test_a_numbered_label_line_between_rows_is_a_row_of_its_own() -> None:
    """收支总表: 三、事业单位经营收入 prints no amount; it is a row, not part of the 事业收入 row above."""
    lines = [line(0, (20, "项目"), amount(250, "预算数")),
             line(14, (20, "二、事业收入"), amount(250, "262")),
             line(28, (20, "三、事业单位经营收入")),
             line(42, (20, "收入总计"), amount(250, "1,262"))]
    (_, grid), = grids(lines, 1, Carry())[0]
    assert [r[0] for r in grid.rows] == ["项目", "二、事业收入", "三、事业单位经营收入", "收入总计"]


def test_a_total_alone_on_the_last_page_is_read_by_its_count_only() -> None:
    carry = Carry()
    grids(HEADER + [line(14, (100, "工资福利支出"), amount(250, "10"), amount(330, "10"), amount(410, "0")),
                    line(28, (100, "商品和服务支出"), amount(250, "20"), amount(330, "0"), amount(410, "20"))], 1, carry)
    total = [line(0, (20, "合计"), amount(120, "30"), amount(150, "10"), amount(180, "20"))]
    (_, grid), = grids(total, 2, Carry(**vars(carry)))[0]
    assert grid.rows == [["合计", "30", "10", "20"]]
    short = [line(0, (20, "合计"), amount(120, "30"), amount(150, "10"))]
    assert grids(short, 2, Carry(**vars(carry)))[0] == []  # two amounts for three columns: not placed by guess


def test_words_split_at_gaps_and_blanks() -> None:
    chars = line(0, (0, "合计"), (40, "1,234"))["chars"]
    assert [w.text for w in borderless.words_of(chars)] == ["合计", "1,234"]


def test_a_centred_heading_reaches_over_the_whole_groups_under_it() -> None:
    """决算 “三公”: 公务用车经费 centred over 小计 and 运行费 (each over a 预算数 | 决算数 pair) covers only the two middle
    columns; the groups under it say it stands over all four. 合计 over its pair stays over its pair."""
    def centred(mid: float, text: str) -> tuple[float, str]:
        return (mid - sum(10.0 if ord(ch) > 0x2E80 else 5.0 for ch in text) / 2, text)

    pair_mid = [107.5, 207.5, 307.5]  # columns k span 65+50k … 100+50k
    lines = [line(0, centred(257.5, "公务用车经费")),
             line(14, *(centred(m, t) for m, t in zip(pair_mid, ("合计数", "小计数", "运行费"), strict=True))),
             line(28, *(centred(82.5 + 50 * k, "预算数" if k % 2 == 0 else "决算数") for k in range(6))),
             line(42, *(amount(100 + 50 * k, "1.00") for k in range(6))),
             line(56, *(amount(100 + 50 * k, "2.00") for k in range(6)))]
    (_, grid), = grids(lines, 1, Carry())[0]
    assert grid.rows[:3] == [["", ""] + ["公务用车经费"] * 4,
                             ["合计数", "合计数", "小计数", "小计数", "运行费", "运行费"],
                             ["预算数", "决算数"] * 3]


def test_a_heading_wrapped_over_two_lines_above_its_two_columns_is_one_label() -> None:
    """因公出国 / （境）费 centred over its 预算数 | 决算数 pair, one line under the other: one label, 因公出国（境）费."""
    lines = [line(0, (187.5, "因公出国")), line(10.5, (187.5, "（境）费")),
             line(24, *(amount(100 + 50 * k, "预算数" if k % 2 == 0 else "决算数") for k in range(4))),
             line(38, *(amount(100 + 50 * k, "1.00") for k in range(4))),
             line(52, *(amount(100 + 50 * k, "2.00") for k in range(4)))]
    (_, grid), = grids(lines, 1, Carry())[0]
    assert grid.rows[0][2:] == ["因公出国（境）费", "因公出国（境）费"]


# ---------------------------------------------------------------------------------- what is not a table, or not yet


def test_a_contents_page_with_page_numbers_is_not_a_table() -> None:
    lines = [line(14 * k, (20, f"{n}、{title}"), amount(400, str(page)))
             for k, (n, title, page) in enumerate([("一", "收入支出决算总表", 5), ("二", "收入决算表", 7),
                                                   ("三", "支出决算表", 9), ("四", "财政拨款收入支出决算总表", 12)])]
    assert grids(lines, 2, Carry()) == ([], set())


def test_two_matchings_of_labels_to_columns_give_no_grid() -> None:
    """Labels left-aligned over right-aligned figures, 项目支出 empty in every row: 基本支出's figures stand right before
    项目支出's label, so which label they are under is not printed — no grid rather than a guess."""
    header = [line(0, (83, "科目名称"), (203, "合计"), (268, "基本支出"), (368, "项目支出"))]
    body = [line(14 + 14 * k, (83, name), amount(262, "2,932,700"), amount(362, "2,932,700"))
            for k, name in enumerate(["一般公共服务支出", "人大事务", "行政运行"])]
    assert grids(header + body, 3, Carry()) == ([], set())


def test_a_finished_table_is_not_continued_and_a_lone_header_line_is_no_row() -> None:
    """After a table's 合计 row, the next page's numbered headings are prose; a running header with its page number
    flush right fits the columns but is not a row of the table above."""
    carry = Carry()
    grids(HEADER + [line(14, (100, "工资福利支出"), amount(250, "10"), amount(330, "10")),
                    line(28, (100, "合计"), amount(250, "10"), amount(330, "10"))], 1, carry)
    assert carry.ended
    assert grids([line(0, (100, "一、概况")), line(14, (100, "二、说明"))], 2, carry) == ([], set())
    carry.ended = False
    header_only = [line(0, (100, "某某局"), amount(410, "11")), line(60, (20, "第三部分 情况说明"))]
    assert grids(header_only, 2, carry) == ([], set())


def test_a_header_never_reaches_back_into_the_table_above() -> None:
    """Four label-only items between two rows of a 收支总表: one table, each row once."""
    head = [line(0, (20, "收入"), amount(200, "预算数"), (240, "支出"), amount(420, "预算数"))]
    body = [line(14, (20, "一、财政拨款收入"), amount(200, "100"), (240, "一般公共服务支出"), amount(420, "60")),
            line(28, (20, "二、事业收入"), amount(200, "50"), (240, "教育支出"), amount(420, "90")),
            *(line(42 + 14 * k, (240, name)) for k, name in enumerate(["外交支出", "国防支出", "公共安全支出", "科学技术支出"])),
            line(98, (20, "收入总计"), amount(200, "150"), (240, "支出总计"), amount(420, "150"))]
    found, _ = grids(head + body, 1, Carry())
    (_, grid), = found
    assert [r[2] for r in grid.rows] == ["支出", "一般公共服务支出", "教育支出", "外交支出", "国防支出", "公共安全支出",
                                         "科学技术支出", "支出总计"]
