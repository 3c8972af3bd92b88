"""Who and when: unit name, fiscal year, report type and title, read from what the report prints."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from etl.read.errors import RefusedInput
from etl.read.layout import Line, Source
from etl.read.tokens import clean

_UNIT = re.compile(r"(?:预算主管部门|预算单位|单位名称|部门名称|编制部门|编制单位|主管部门)\s*[:：]\s*(?:\[[^\]]*\]\s*)?"
                   r"([\u4e00-\u9fff（）()·]{2,40}?)(?=\s|单位[:：]|$)")
_TITLE = re.compile(r"^\s*(.{0,40}?(\d{4})\s*年\s*(?:度)?.{0,12}?(部门|单位)(预算|决算)(?:公开)?(?:报告)?)\s*$")
_DOC_TYPE = re.compile(r"(部门|单位)(预算|决算)")
# a blank template: the unit printed as a placeholder (上海市 XX 局) and figures as XXX 万元 / XX%
_PLACEHOLDER = re.compile(r"[XＸ×xｘ]{2,}")
_PLACEHOLDER_FIGURE = re.compile(r"[XＸ×]{2,}\s*(万元|元|%|％)")
_UNIT_NAME = re.compile(r"^[\u4e00-\u9fff（）()·XＸ×]{2,40}$")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分\s*(?P<unit>[\u4e00-\u9fff（）()·XＸ×]{2,40}?)\s*(?:概况|\d{4}\s*年)")


@dataclass
class Meta:
    unit_name: str | None
    fiscal_year: int | None
    doc_type: str | None
    title: str | None


def _cover_unit(text_lines: list[Line], title: str | None) -> str | None:
    """The unit a cover prints above its title (上海市普陀区财政局 / 2024年度部门决算), re-joined where the cover
    wraps it over two lines (上海市普陀区规划和自然 / 资源局)."""
    if title is None:
        return None
    for i, ln in enumerate(text_lines[:40]):
        if _TITLE.match(ln.text) and _TITLE.match(ln.text).group(1).strip() == title:
            above = [b for b in text_lines[max(0, i - 3):i] if b.page == ln.page]
            parts: list[str] = []
            for b in reversed(above):
                t = clean(b.text)
                if not _UNIT_NAME.match(t):
                    break
                parts.insert(0, t)
            name = "".join(parts)
            return name if len(name) >= 4 else None
    return None


def _heading_unit(lines: list[str]) -> str | None:
    """第一部分 上海市普陀区财政局概况: the unit as the report's own part headings name it (most often)."""
    found = Counter(m.group("unit") for line in lines for m in [_PART_HEADING.match(clean(line))] if m)
    return found.most_common(1)[0][0] if found else None


# what a title prints after its year when it covers a whole district, city or province (2024年区级部门预算)
_LEVEL = re.compile(r"[省市区县]级")
# a place, not a budget unit: a name that ends in an administrative division (上海市普陀区, 阳泉市). Not 镇 or 乡: a
# town or township publishes its own 部门预算 under its name (上海市普陀区长征镇), as a 街道 does
_PLACE = re.compile(r".*[省市区县旗州盟]")


def _title_unit(title: str) -> str | None:
    """A title like 上海市普陀区社会福利院2024年单位预算 names the unit before the year; 上海市普陀区2024年区级部门预算
    names a district's collection of reports, and its place is no unit."""
    m = re.match(r"^(.+?)\d{4}\s*年", title)
    if not m or _LEVEL.search(title[m.end():]) or _PLACE.fullmatch(m.group(1)):
        return None
    return m.group(1)


def refuse_template(unit: str | None, title: str | None, lines: list[str]) -> None:
    """A blank national template (上海市 XX 局, XXX 万元) is the form units fill in, never a unit's report."""
    named = [t for t in (unit, title) if t and _PLACEHOLDER.search(t)]
    figures = sum(1 for line in lines if _PLACEHOLDER_FIGURE.search(line))
    if named or figures >= 3:
        what = f"单位名称为占位符“{named[0]}”" if named else f"说明中有{figures}处占位数字（如 XXX 万元）"
        raise RefusedInput(f"这是一份空白模板，不是某个单位的报告：{what}。模板里的示例数字不能当作任何单位的数据，未导入")


def read_metadata(source: Source, table_titles: list[str]) -> Meta:
    """Unit, year, type and title. Raises RefusedInput for a blank template with placeholders (XX)."""
    text_lines = source.text_lines()
    lines = [b.text for b in text_lines] + list(source.furniture)
    units = Counter(m.group(1) for line in lines for m in [_UNIT.search(line)] if m)
    unit = units.most_common(1)[0][0] if units else None
    title = None
    for line in list(source.furniture) + lines[:40]:
        m = _TITLE.match(line)
        if m:
            title = m.group(1).strip()
            break
    year = None
    if title and (m := re.search(r"(\d{4})\s*年", title)):
        year = int(m.group(1))
    if year is None:
        years = Counter(int(y) for t in table_titles for y in re.findall(r"(20\d{2})\s*年", t))
        year = years.most_common(1)[0][0] if years else None
    doc_type = None
    for text in ([title] if title else []) + lines[:80]:
        if m := _DOC_TYPE.search(text or ""):
            doc_type = m.group(1) + m.group(2)
            break
    if unit is None:
        unit = _cover_unit(text_lines, title) or _heading_unit(lines)
    if unit is None and title:
        unit = _title_unit(title)
    refuse_template(unit, title, lines)
    return Meta(unit_name=unit, fiscal_year=year, doc_type=doc_type, title=title)
