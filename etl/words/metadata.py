"""Who and when: unit name, fiscal year, report type and title, read from what the report prints.

Only the report's own naming of itself counts: its cover (however the cover wraps, spaces or spells the year), its
running labels (编制部门：…), its part headings and its table titles. A year or a name inside the text — a document
number (沪财预〔2024〕12号), a law (《中华人民共和国预算法》), a date (2024年12月31日) — is never the report's, so
every pattern here is anchored to a whole title or a label rather than searched for anywhere in the prose.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from etl.read.errors import RefusedInput
from etl.read.layout import Line, Source
from etl.read.tokens import clean

_UNIT = re.compile(r"(?:预算主管部门|预算单位|单位名称|部门名称|编制部门|编制单位|主管部门|(?<![\u4e00-\u9fff])部门)"
                   r"\s*[:：]\s*(?:\[[^\]]*\]\s*)?"
                   r"([\u4e00-\u9fff（）()·]{2,40}?)(?=\s|单位[:：]|$)")
# a whole title, read from its squeezed text (no whitespace, ASCII digits): the unit (if printed before the year),
# the year, what may stand between the year and the type (区级, or the unit itself), the type. Between year and type
# there is never a digit, 月 or 日: 2024年12月31日 is a date, not a report's year. The unit is taken as printed
# (any characters a name may hold), but never the brackets of a document number or a law, nor sentence punctuation
_TITLE = re.compile(r"^(?P<unit>[^〔〕《》【】\[\]，。；：:、]{0,40}?)(?P<year>(?:19|20)\d{2})年度?"
                    r"(?P<mid>[^\d月日]{0,30}?)(?P<type>(?:部门|单位)(?:预算|决算))(?:公开)?(?:报告)?$")
# what a sentence has before a year and a report title and a unit's name never has: its verbs (按照要求编制2024年
# 部门预算), another year or a document's number (2023年…, 沪财预2024-12号)
_NOT_A_NAME = re.compile(r"编制|根据|依据|按照|关于|本部门|本单位|印发|通知|\d{4}|\d+号|年度|\d+月")
_YEAR_IN = re.compile(r"(?:19|20)\d{2}")
_DOC_TYPE = re.compile(r"(部门|单位)(预算|决算)")
# a blank template: the unit printed as a placeholder (上海市 XX 局) and figures as XXX 万元 / XX%
_PLACEHOLDER = re.compile(r"[XＸ×xｘ]{2,}")
_PLACEHOLDER_FIGURE = re.compile(r"[XＸ×]{2,}\s*(万元|元|%|％)")
_UNIT_NAME = re.compile(r"^[\u4e00-\u9fff（）()·XＸ×]{2,40}$")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分\s*(?P<unit>[\u4e00-\u9fff（）()·XＸ×]{2,40}?)\s*(?:概况|\d{4}\s*年)")
# a 目录 or section heading naming the unit as the report's own: 上海市普陀区人民政府万里街道办事处（部门）主要职能
_SELF_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、)?(?P<unit>[\u4e00-\u9fff（）()·]{4,40}?)[（(](?:部门|单位)[）)]"
                           r"(?:主要职能|职能|概况|机构设置|基本情况)")
_PART_YEAR = re.compile(r"^第[一二三四五六七八九十]+部分.{0,40}?(?P<year>(?:19|20)\d{2})年度?(?:部门|单位)(?:预算|决算)")
_TABLE_YEAR = re.compile(r"((?:19|20)\d{2})年(?!\d)")
_TABLE_UNIT = re.compile(r"^(?P<unit>[\u4e00-\u9fff（）()·]{4,40}?)(?:19|20)\d{2}年度?.*表")
_TABLE_NUMBER = re.compile(r"^(?:表?[0-9]+(?:-[0-9]+)?[、.．:：]?|[一二三四五六七八九十]+、)")

_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGIT = dict(zip("〇○零一二三四五六七八九", "000123456789", strict=True))
# a year spelled in Chinese numerals on a cover (二〇二四年度): only a 19xx/20xx year directly before 年
_CN_YEAR = re.compile(r"((?:一九|二[〇○零])[〇○零一二三四五六七八九]{2})(?=\s*年)")


@dataclass
class Meta:
    unit_name: str | None
    fiscal_year: int | None
    doc_type: str | None
    title: str | None


def _digits(text: str) -> str:
    """Full-width (２０２４) and Chinese-numeral (二〇二四年) years as ASCII digits, so one pattern reads them all."""
    text = text.translate(_FULL_WIDTH)
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[c] for c in m.group(1)), text)


def _squeeze(text: str) -> str:
    """The text as a pattern reads it: covers space their titles at will (2024 年度 部门决算, 2 0 2 4 年)."""
    return clean(_digits(text))


def _as_printed(text: str) -> str:
    """A title line as the report prints it, except a letter-spaced one (2 0 2 4 年 度) which is closed up."""
    t = text.strip()
    tokens = t.split()
    return clean(t) if len(tokens) >= 3 and all(len(x) == 1 for x in tokens) else t


# what a title prints after its year when it covers a whole district, city or province (2024年区级部门预算)
_LEVEL = re.compile(r"[省市区县]级")
# a place, not a budget unit: a name made only of administrative divisions (上海市普陀区, 阳泉市, 上海市浦东新区),
# each a short proper name and its division. Not 镇 or 乡: a town or township publishes its own 部门预算 under its
# name (上海市普陀区长征镇), as a 街道 does
_PLACE = re.compile(r"(?:[\u4e00-\u9fff]{2,8}?自治[区州县旗]|[\u4e00-\u9fff]{2,4}特别行政区"
                    r"|[\u4e00-\u9fff]{1,4}?[省市区县旗州盟])+")
# a 区 that is a body with its own budget, not a division: a zone run by its own administration (上海化学工业区,
# 某某经济技术开发区, 张江高新区, 临港新片区)
_ZONE = re.compile(r"(?:工业|开发|高新|产业|科技|化工|保税|自贸|综合|试验|示范|合作|功能|风景|旅游|度假|物流|港|园|片|林|垦)区$")


def _is_place(name: str) -> bool:
    """True when the name is a place and nothing more — more than a place name (a zone, a 管委会) is a unit."""
    return bool(_PLACE.fullmatch(name)) and not _ZONE.search(name)


def _named_as_self(name: str, lines: list[str]) -> bool:
    """The report calls this name its own: 上海化学工业区（部门）主要职能, 第一部分 上海化学工业区概况, 本单位即…"""
    esc = re.escape(name)
    own = re.compile(rf"{esc}(?:[（(](?:部门|单位)[）)]|概况|[（(]以下简称“?本(?:部门|单位))|本(?:部门|单位)[是为即：:]?{esc}")
    return any(own.search(line) for line in lines)


def _unit_or_none(name: str | None, lines: list[str]) -> str | None:
    """A name is the unit unless it is only a place the report never calls its own."""
    if not name or (_is_place(name) and not _named_as_self(name, lines)):
        return None
    return name


@dataclass
class _Title:
    text: str  # as printed (a title wrapped over lines is joined)
    year: int
    doc_type: str
    unit: str | None  # printed before the year, or between the year and the type
    rest: str  # what follows the year (区级部门预算): a district-wide title names no unit
    start: int | None  # index of its first line among the text lines (None: a running header)


def _match_title(text: str) -> re.Match[str] | None:
    """A whole title, however spaced or spelled; not a sentence that happens to end in one."""
    m = _TITLE.match(_squeeze(text))
    if m and _NOT_A_NAME.search(m.group("unit")):
        return None
    return m


def _title_of(m: re.Match[str], text: str, start: int | None) -> _Title:
    """What a matched title says; the unit may stand after the year (2024年度上海市普陀区社会工作部部门决算)."""
    unit = m.group("unit") or None
    mid = m.group("mid")
    if unit is None and len(mid) >= 4 and _UNIT_NAME.match(mid) and not _LEVEL.search(mid):
        unit = mid
    rest = m.string[m.start("year") + 4:]
    return _Title(text, int(m.group("year")), m.group("type"), unit, rest, start)


_COVER_LINE = 30  # characters a wrapped cover line holds at most (a unit's name and its year)


def _find_title(source: Source, text_lines: list[Line]) -> _Title | None:
    """The report's title: a running header first, else the first cover line, or run of up to four lines on one
    page, that starts with a year and reads as a whole title (上海市普陀区社会工作部 2024 / 年度 / 部门决算)."""
    for line in source.furniture:
        if m := _match_title(line):
            return _title_of(m, line.strip(), None)
    head = text_lines[:40]
    for i, first in enumerate(head):
        if not _YEAR_IN.search(_squeeze(first.text)):
            continue
        for j in range(i, min(i + 4, len(head))):
            run = head[i:j + 1]
            if run[-1].page != first.page or clean(run[-1].text) == "目录":
                break
            if j > i and any(len(clean(b.text)) > _COVER_LINE for b in run):
                break  # a cover's lines are short; a long one is prose, whose year no title is made from
            printed = [_as_printed(b.text) for b in run]
            if m := _match_title("".join(printed)):
                return _title_of(m, printed[0] if j == i else "".join(printed), i)
    return None


def _cover_unit(text_lines: list[Line], title: _Title) -> str | None:
    """The unit a cover prints above its title (上海市普陀区财政局 / 2024年度部门决算), re-joined where the cover
    wraps it over lines (上海市普陀区 / 社会工作部)."""
    if title.start is None:
        return None
    first = text_lines[title.start]
    above = [b for b in text_lines[max(0, title.start - 3):title.start] if b.page == first.page]
    parts: list[str] = []
    for b in reversed(above):
        t = clean(b.text)
        if not _UNIT_NAME.match(t) or t == "目录":
            break
        parts.insert(0, t)
    name = "".join(parts)
    return name if len(name) >= 4 else None


def _heading_unit(lines: list[str]) -> str | None:
    """第一部分 上海市普陀区财政局概况, 上海市普陀区财政局（部门）主要职能: the unit as the report's own headings
    name it (most often)."""
    found: Counter[str] = Counter()
    for line in lines:
        t = clean(line)
        if (m := _PART_HEADING.match(t)) or (m := _SELF_HEADING.match(t)):
            found[m.group("unit")] += 1
    return found.most_common(1)[0][0] if found else None


def _title_unit(title: _Title, lines: list[str]) -> str | None:
    """A title like 上海市普陀区社会福利院2024年单位预算 names the unit before the year; 上海市普陀区2024年区级部门预算
    names a district's collection of reports, and a place alone (阳泉市2023年部门预算) names no unit."""
    if title.unit is None or _LEVEL.search(title.rest):
        return None
    return _unit_or_none(title.unit, lines)


def _table_unit(table_titles: list[str], lines: list[str]) -> str | None:
    """上海市普陀区社会工作部2024年部门收支总表: the unit the table titles print before their year (most often)."""
    found: Counter[str] = Counter()
    for t in table_titles:
        s = _TABLE_NUMBER.sub("", _squeeze(t))
        m = _TABLE_UNIT.match(s)
        if m and not _LEVEL.search(s[m.end("unit"):]) and not _NOT_A_NAME.search(m.group("unit")):
            found[m.group("unit")] += 1
    for name, _ in found.most_common():
        if unit := _unit_or_none(name, lines):
            return unit
    return None


def _fallback_year(table_titles: list[str], lines: list[str]) -> int | None:
    """Without a title: the year most table titles print (2024年部门收支总表), else the one the part headings print
    (第二部分 …2024年度部门决算表). Never a date's year (2024年12月31日) nor a document number's (〔2024〕)."""
    years = Counter(int(y) for t in table_titles for y in _TABLE_YEAR.findall(_squeeze(t)))
    if not years:
        years = Counter(int(m.group("year")) for line in lines for m in [_PART_YEAR.match(_squeeze(line))] if m)
    return years.most_common(1)[0][0] if years else None


def refuse_template(unit: str | None, title: str | None, lines: list[str]) -> None:
    """A blank national template (上海市 XX 局, XXX 万元) is the form units fill in, never a unit's report."""
    named = [t for t in (unit, title) if t and _PLACEHOLDER.search(t)]
    figures = sum(1 for line in lines if _PLACEHOLDER_FIGURE.search(line))
    if named or figures >= 3:
        what = f"单位名称为占位符“{named[0]}”" if named else f"说明中有{figures}处占位数字（如 XXX 万元）"
        raise RefusedInput(f"这是一份空白模板，不是某个单位的报告：{what}。模板里的示例数字不能当作任何单位的数据，未导入")


def read_metadata(source: Source, table_titles: list[str]) -> Meta:
    """Unit, year, type and title. A year not found stays None (never guessed from a date or a document number).
    Raises RefusedInput for a blank template with placeholders (XX)."""
    text_lines = source.text_lines()
    lines = [b.text for b in text_lines] + list(source.furniture)
    squeezed = [clean(line) for line in lines]
    units = Counter(m.group(1) for line in lines for m in [_UNIT.search(line)] if m)
    unit = units.most_common(1)[0][0] if units else None
    found = _find_title(source, text_lines)
    title = found.text if found else None
    year = found.year if found else _fallback_year(table_titles, lines)
    doc_type = found.doc_type if found else None
    if doc_type is None:
        doc_type = next((m.group(1) + m.group(2) for text in lines[:80] if (m := _DOC_TYPE.search(text))), None)
    if unit is None and found:
        unit = _unit_or_none(_cover_unit(text_lines, found), squeezed)
    if unit is None:
        unit = _heading_unit(lines)
    if unit is None and found:
        unit = _title_unit(found, squeezed)
    if unit is None:
        unit = _table_unit(table_titles, squeezed)
    refuse_template(unit, title, lines)
    return Meta(unit_name=unit, fiscal_year=year, doc_type=doc_type, title=title)
