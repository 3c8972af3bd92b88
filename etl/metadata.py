"""Who and when: unit name, fiscal year, report type and title, read from what the report prints."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .layout import Source

_UNIT = re.compile(r"(?:预算主管部门|预算单位|单位名称|部门名称|编制部门|编制单位|主管部门)\s*[:：]\s*(?:\[[^\]]*\]\s*)?"
                   r"([\u4e00-\u9fff（）()·]{2,40}?)(?=\s|单位[:：]|$)")
_TITLE = re.compile(r"^\s*(.{0,40}?(\d{4})\s*年\s*(?:度)?.{0,12}?(部门|单位)(预算|决算)(?:公开)?(?:报告)?)\s*$")
_DOC_TYPE = re.compile(r"(部门|单位)(预算|决算)")


@dataclass
class Meta:
    unit_name: str | None
    fiscal_year: int | None
    doc_type: str | None
    title: str | None


def read_metadata(source: Source, table_titles: list[str]) -> Meta:
    lines = [b.text for b in source.text_lines()] + list(source.furniture)
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
    if unit is None and title:
        # a title like 上海市普陀区社会福利院2024年单位预算 names the unit before the year
        m = re.match(r"^(.+?)\d{4}年", title)
        if m and not re.search(r"区级|市级|省级", m.group(1)):
            unit = m.group(1)
    return Meta(unit_name=unit, fiscal_year=year, doc_type=doc_type, title=title)
