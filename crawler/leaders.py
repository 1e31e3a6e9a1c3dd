"""领导信息 pages: which pages are one, and the leaders each lists (姓名, 职务, 分工, photo, 简历).

The 2019 indicators (发布解读 · 领导信息) ask a site to publish its leaders' names, positions and
分工. Sites print them in a few shapes, all read here without per-template selectors:

- a table whose header row names the columns (姓名 | 职务 | 分工 …), one leader a row;
- labelled fields (``姓名：陈立新`` ``职务：县委副书记、县长`` ``工作分工：……`` ``简历：……``), one leader
  per page (a detail page) or several in a row;
- position-led lines (``局长：王堃　主持全面工作。副局长：李明　分管……``);
- cards (TRS/大汉 div lists): a name, then its position, then a line of 分工 (主持/负责/分管 …);
- a list of names linking to one detail page each (the detail page is read on its own).

A page is a 领导信息 page only by what names the page itself — its ``ColumnName`` meta, its
breadcrumb, or a segment of its ``<title>`` that ends with a leader-column word (领导信息, 领导之窗,
领导简介, 领导班子, 班子成员 …) — never by a nav anchor (every page of a site carries "领导信息" in
its menu) and never for 领导信箱 / 领导活动 / 领导讲话. Names are recognised by shape (2–4 Chinese
characters starting with a common surname, or a minority name with ·); a name counts only next
to a position, a 姓名 label, a table header or a link to its detail page, so a stray short word
is never a leader.

Only the facts are stored (``facts["leaders"]``); checks/incomplete_leader_info.py judges them.
"""
from __future__ import annotations

import re
from typing import Any, Iterable
from urllib.parse import urljoin

from .links import normalize_url
from .text import ENTER, EXIT, TAIL, TEXT, base_url, walk_text

MAX_ENTRIES = 60
MAX_LINES = 4000

# ------------------------------------------------------------------------- which pages

#: Leader-column words a column name, breadcrumb step or title segment ends with.
_COLUMN_CORE = (r"领导信息|领导之窗|领导简介|领导介绍|领导班子(?:成员)?|班子成员|领导成员|领导分工|现任领导"
                r"|领导集体|(?:政府|局|委|厅|办|院|部|县|市|区|镇|乡|州|盟|旗|处|中心)领导")
LEADER_COLUMN = re.compile(rf"^[\u4e00-\u9fa5A-Za-z0-9（）()·]{{0,16}}?(?:{_COLUMN_CORE})$")
_TITLE_SPLIT = re.compile(r"\s*[_|｜\-–—－]+\s*|\s{2,}")


def _squeeze(text: str | None) -> str:
    return re.sub(r"[\s\u3000\xa0\u2002\u2003\u2009]+", "", text or "")


def leader_signal(title: str = "", meta: dict | None = None, breadcrumb: Iterable[str] = ()) -> str | None:
    """What makes the page a 领导信息 page ("ColumnName:领导信息", "breadcrumb:领导之窗", "title:…"), or None."""
    column = _squeeze((meta or {}).get("ColumnName"))
    if column and LEADER_COLUMN.match(column):
        return f"ColumnName:{column}"
    steps = [_squeeze(s) for s in breadcrumb]
    for step in steps[1:] if len(steps) > 1 else steps:
        if step and len(step) <= 24 and LEADER_COLUMN.match(step):
            return f"breadcrumb:{step}"
    for segment in _TITLE_SPLIT.split(title or ""):
        segment = _squeeze(segment)
        if segment and len(segment) <= 24 and LEADER_COLUMN.match(segment):
            return f"title:{segment}"
    return None


# ------------------------------------------------------------------------- vocabulary

_TITLES = (r"副?书记|副?局长|副?主任|副?县长|副?市长|副?区长|副?镇长|副?乡长|副?厅长|副?部长|副?处长|副?科长"
           r"|副?秘书长|副?主席|副?院长|副?省长|副?州长|副?旗长|副?盟长|副?司长|副?署长|副?行长|副?关长"
           r"|副?检察长|副?庭长|副?社长|副?校长|副?会长|副?理事长|副?队长|副?站长|副?所长|副?馆长|副?组长"
           r"|副?督察长|副?总队长|副?政委|副?主委|副?监事长|副?经理|副?总经理|副?院长|副?总编辑"
           r"|[一二三四]级(?:调研员|巡视员|主任科员)|调研员|巡视员|督察专员|总工程师|总经济师|总会计师|总规划师"
           r"|总农艺师|总畜牧兽医师|总师|党组成员|党委委员|党组副书记|党工委委员|委员|常委|纪检监察组组长")
_UNIT = r"[\u4e00-\u9fa5]{0,14}?"
#: A whole position: 县委副书记、县长 · 局党组书记、局长 · 党组成员、副局长 · 四级调研员 · 副县长（挂职）.
POSITION = re.compile(
    rf"(?:{_UNIT}(?:{_TITLES})(?:[（(][^）)]{{1,12}}[）)])?)(?:\s*[、，,/]\s*{_UNIT}(?:{_TITLES})(?:[（(][^）)]{{1,12}}[）)])?){{0,4}}")
_NOT_POSITION = re.compile(r"信箱|信件|活动|讲话|动态|批示|邮箱|留言|接待|热线|选举|会议|任免|任命|免去|决定|名单|职责$")

DUTY_VERBS = r"主持|负责|分管|协助|协管|联系|主管|兼管|统筹|牵头"
_DUTY_START = re.compile(rf"^(?:[（(]?\s*(?:主要)?(?:工作)?分工\s*[）)]?\s*[:：]?|{DUTY_VERBS})")
DUTY_WORDS = re.compile(r"分工|主持.{0,12}工作|负责|分管|协管|主管")
_BIO = re.compile(r"^(?:个人)?简\s*历|^[\u4e00-\u9fa5·]{2,8}\s*[，,]\s*[男女]\s*[，,]|出生|\d{4}\s*年\s*\d{1,2}\s*月生|[，,]\s*\d{4}\s*年生")
_RESUME_LINK = re.compile(r"^(?:个人|详细|查看)?简\s*历$|^(?:查看)?详[细情]|^更多介绍|^个人简介$")

#: Field labels: 姓名 · 职务 · 分工 · 简历, and labels that only separate fields.
_LABELS = [
    ("name", r"姓\s*名"),
    ("position", r"(?:现任|担任)?职\s*务|职\s*位"),
    ("duties", r"(?:主要)?(?:工作|职责)?分\s*工|分管(?:工作|领域|范围)|主要职责|工作职责|负责工作"),
    ("resume", r"(?:个人)?简\s*历|(?:个人)?简\s*介|出生年月|籍\s*贯|学\s*历"),
    ("other", r"性\s*别|民\s*族|办公电话|联系电话|电\s*话|政治面貌|党\s*派|学\s*位|职\s*称|参加工作时间|入党时间"),
]
_LABEL = re.compile("|".join(f"(?P<{k}>(?<![\\u4e00-\\u9fa5])(?:{p}))\\s*[:：]" for k, p in _LABELS))
# A heading that is only a label ("<h3>工作分工</h3><p>……</p>"): its value is the next block.
_LABEL_ALONE = re.compile(r"^\s*(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _LABELS if k != "other") + r")\s*$")
_HEADER = {"name": re.compile(r"^姓名$"), "position": re.compile(r"^(?:现任)?职务|^职位$|^职务职级$"),
           "duties": re.compile(r"分工|职责|分管"), "resume": re.compile(r"简历|简介"),
           "photo": re.compile(r"^照片$|^相片$|^头像$")}

_SURNAMES_2 = ("欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 宇文 长孙 司徒 夏侯 端木 独孤 南宫 西门 轩辕 "
               "呼延 澹台 公冶 太史 申屠 万俟 闻人 赫连 钟离 宗政 濮阳 淳于 单于 仲孙 拓跋 百里 东郭 第五").split()
_SURNAMES_1 = set(
    "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温"
    "康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成"
    "苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费"
    "卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠"
    "惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄"
    "平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇"
    "公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由")
#: Characters no person's given name in a leader list is made of (units, roles, function words).
_NOT_IN_NAME = set("局委府县省镇乡村厅处室站所院办党务记的和与及之为在是了区部组员司队馆校社团协网页栏目息告闻态更首返闭打印历"
                   "介绍职能构领导策件读互题概况")
_NOT_NAMES = {"主持", "负责", "分管", "协助", "联系", "主管", "全面", "工作"}
_NAME = re.compile(r"[\u4e00-\u9fa5]{2,4}|[\u4e00-\u9fa5]{1,6}·[\u4e00-\u9fa5·]{1,12}")


def person_name(text: str) -> str | None:
    """The text as a person's name (whitespace inside a 2-character name ignored), or None."""
    t = _squeeze(text).strip("：:，,、。 ")
    if not t or not _NAME.fullmatch(t) or t in _NOT_NAMES:
        return None
    if "·" in t:
        return t if 3 <= len(t) <= 20 else None
    if any(ch in _NOT_IN_NAME for ch in t[1:]) or t[0] in "的和与及之为在是了":
        return None
    if t[:2] in _SURNAMES_2:
        return t if 3 <= len(t) <= 4 else None
    if t[0] in _SURNAMES_1 and len(t) <= 3:
        return t
    return None


def position_of(text: str) -> str | None:
    """The text as a whole position phrase (at most 60 characters), or None."""
    t = re.sub(r"\s+", "", text or "").strip("：:，,、。；;")
    if not t or len(t) > 60 or _NOT_POSITION.search(t) or DUTY_WORDS.search(t):
        return None
    return t if POSITION.fullmatch(t) else None


#: "局长：" at the start of a line or sentence (match at a position, not search).
_POSITION_COLON = re.compile(rf"({POSITION.pattern})\s*[:：]\s*")
_SENTENCE_END = re.compile(r"[。；;！]\s*")


def _position_chunks(text: str) -> list[str]:
    """``局长：主持全面工作。副局长：负责……`` → one chunk per position-led sentence."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text) if _POSITION_COLON.match(text, m.end())]
    return [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)]) if text[a:b].strip()]
_NAME_HEAD = re.compile(r"^([\u4e00-\u9fa5]{1,2}[\s\u3000]{0,3}[\u4e00-\u9fa5]{1,2}|[\u4e00-\u9fa5]{1,6}·[\u4e00-\u9fa5·]{1,12})"
                        rf"(?=$|[\s\u3000，,、：:（(。]|{DUTY_VERBS})")


# ------------------------------------------------------------------------- lines

_BLOCKS = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "dl", "table", "tbody",
                     "thead", "ul", "ol", "section", "article", "br", "hr", "caption", "center", "form", "blockquote",
                     "pre", "header", "footer", "aside", "main", "figure", "figcaption", "body"})
_CELLS = frozenset({"td", "th"})
#: Inline elements apart by a space: <span>赵德明</span><span>县委副书记、县长</span> is two words.
_INLINE = frozenset({"span", "a", "strong", "b", "em", "font", "i", "label", "small", "cite", "u"})
_SKIP = frozenset({"script", "style", "noscript", "template", "select", "option", "textarea", "head", "title",
                   "iframe", "object", "embed", "svg", "button"})
_CHROME = re.compile(r"(?:^|[\s_-])(?:nav\w*|menu\w*|header|head|top\d*|topbar|topnav|toplink|footer|foot|bottom|banner|crumb\w*|breadcrumb"
                     r"|position|location|weizhi|dqwz|daohang|dhlm|yqlj|friend\w*|links?|copyright|search\w*|share"
                     r"|toolbar|sidebar|side|sidemenu|leftmenu|leftnav|subnav|lmdh|skip\w*)(?:$|[\s_-])", re.I)
_NOT_PHOTO = re.compile(r"logo|banner|icon|ico_|btn|button|arrow|dot|bg|line|spacer|blank|gh\.png|jiucuo|conac|police|"
                        r"beian|ewm|qrcode|erweima|wechat|weixin|weibo|search|top|share|print|close|more", re.I)


def _skip(el) -> bool:
    if el.tag in _SKIP:
        return True
    tokens = f"{el.get('class') or ''} {el.get('id') or ''}".strip()
    return bool(tokens) and el.tag not in ("body", "html") and bool(_CHROME.search(tokens))


def _lines(root, base: str) -> list[dict]:
    """The content's text as lines (blocks and table rows; cells apart by a tab), each with the
    photos and links (absolute URL, squeezed anchor text) it holds. Page chrome is left out."""
    out: list[dict] = []
    parts: list[str] = []
    imgs: list[str] = []
    links: list[tuple[str, str]] = []
    # A link still open carries on into the lines it holds: a card wrapped whole in its leader's
    # link (<a href=detail><img><p>周文斌</p><p>区长</p></a>) names the detail page on every line.
    open_links: list[tuple[object, tuple[str, str]]] = []

    def flush() -> None:
        nonlocal parts, imgs, links
        text = re.sub(r"[ \u3000\xa0\u2002\u2003\u2009\r\n]+", " ", "".join(parts))
        text = re.sub(r" *\t[\t ]*", "\t", text).strip("\t ")
        if text or imgs:
            out.append({"text": text, "imgs": imgs, "links": links})
        parts, imgs, links = [], [], [link for _, link in open_links]

    def boundary(tag: str) -> None:
        """An element's start and end both separate text the same way: a line, a cell, a space."""
        if tag in _BLOCKS:
            flush()
        elif tag in _CELLS:
            parts.append("\t")
        elif tag in _INLINE:
            parts.append(" ")

    for kind, el, text in walk_text(root, _skip):
        if len(out) > MAX_LINES:
            break
        if kind in (ENTER, EXIT):
            boundary(el.tag)
        if kind == ENTER:
            if el.tag == "img":
                src = (el.get("src") or el.get("data-src") or "").strip()
                hint = f"{src} {el.get('alt') or ''} {el.get('class') or ''} {el.get('id') or ''}"
                if src and not src.startswith("data:") and not _NOT_PHOTO.search(hint):
                    imgs.append(urljoin(base, src))
            elif el.tag == "a":
                href = (el.get("href") or "").strip()
                if href and not href.lower().startswith(("#", "javascript:", "mailto:", "tel:")):
                    link = (urljoin(base, href), _squeeze(el.text_content())[:40])
                    links.append(link)
                    open_links.append((el, link))
        elif kind == EXIT and el.tag == "a" and open_links and open_links[-1][0] is el:
            open_links.pop()
        elif kind in (TEXT, TAIL):
            parts.append(text)
    flush()
    return out


# ------------------------------------------------------------------------- entries


def _entry(**kw) -> dict:
    e = {"name": None, "position": None, "duties": None, "photo": False, "resume": False, "detail": None,
         "source": "lines"}
    e.update(kw)
    return e


def _clip(text: str | None, n: int = 160) -> str | None:
    text = (text or "").strip(" \t：:，,、；;")
    return text[:n] if text else None


def _name_under_header(text: str, position: str) -> str | None:
    """A name in a 姓名 column beside a position, whatever its surname: the header says what it is,
    and the surname list cannot hold every rare one (字国华, 者来文, 普建明 …)."""
    t = _squeeze(text).strip("：:，,、。 ")
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", t) or t in _NOT_NAMES or any(ch in _NOT_IN_NAME for ch in t[1:]):
        return None
    return t if position_of(position) else None


def _table_entries(doc, base: str) -> list[dict]:
    """Tables whose header row names 姓名 and 职务 or 分工: one leader a row."""
    out: list[dict] = []
    for table in doc.iter("table"):
        if any(_skip(a) for a in table.iterancestors() if isinstance(a.tag, str)):
            continue
        columns: dict[str, int] | None = None
        for tr in table.iter("tr"):
            if tr.getparent() is not None and tr.getparent().tag not in ("table", "tbody", "thead", "tfoot"):
                continue
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in _CELLS]
            texts = [_squeeze(c.text_content()) for c in cells]
            if columns is None:
                found = {}
                for i, t in enumerate(texts):
                    for key, rx in _HEADER.items():
                        if key not in found and t and len(t) <= 8 and rx.search(t):
                            found[key] = i
                            break
                if "name" in found and ("position" in found or "duties" in found):
                    columns = found
                continue
            if any(c.find(".//table") is not None for c in cells):
                continue  # a layout row: the nested table is read on its own
            at = lambda key: texts[columns[key]] if key in columns and columns[key] < len(texts) else ""  # noqa: E731
            name = person_name(at("name")) or _name_under_header(at("name"), at("position"))
            if not name:
                continue
            row = _entry(name=name, position=_clip(at("position")) if "position" in columns else None,
                         duties=_clip(at("duties")) if "duties" in columns else None,
                         resume=bool(at("resume")), source="table")
            row["columns"] = sorted(k for k in columns if k in ("position", "duties"))
            for img in tr.iter("img"):
                if img.get("src") and not _NOT_PHOTO.search(img.get("src") or ""):
                    row["photo"] = True
            name_cell = cells[columns["name"]]
            for a in name_cell.iter("a"):
                href = (a.get("href") or "").strip()
                if href and not href.startswith(("#", "javascript:")):
                    row["detail"] = normalize_url(urljoin(base, href))
            for a in tr.iter("a"):
                if _RESUME_LINK.match(_squeeze(a.text_content())):
                    row["resume"] = True
            out.append(row)
        if out:
            return out
    return out


class _Reader:
    """Reads leader entries from lines, in reading order (labels, position-led lines, cards)."""

    def __init__(self) -> None:
        self.entries: list[dict] = []
        self.cur: dict | None = None
        self.pending_label: str | None = None
        self.pending_photo = False

    def start(self, **kw) -> dict:
        self.cur = _entry(**kw)
        if self.pending_photo:
            self.cur["photo"] = True
            self.pending_photo = False
        self.entries.append(self.cur)
        return self.cur

    def duties(self, text: str) -> None:
        text = _clip(re.sub(r"^[（(]?\s*(?:主要)?(?:工作)?分工\s*[）)]?\s*[:：]?\s*", "", text))
        if text and self.cur is not None:
            old = self.cur["duties"]
            self.cur["duties"] = _clip(f"{old}；{text}" if old else text)
            self.cur.pop("tentative", None)

    def field(self, key: str, value: str, links: list[tuple[str, str]]) -> None:
        """A labelled field (姓名：… 职务：… 分工：… 简历：…)."""
        if key == "name":
            first = re.split(r"[\s，,、。；;（(]", value, maxsplit=1)[0]
            name = person_name(value) or person_name(first)
            if not name:
                return
            cur = self.cur
            if cur is None or cur["name"] or cur["source"] != "labels":
                cur = self.start(name=name, source="labels")
            else:
                cur["name"] = name
            link = next((u for u, t in links if t == name), None)
            if link:
                cur["detail"] = normalize_url(link)
            return
        if key == "other":
            return
        cur = self.cur if self.cur is not None else self.start(source="labels")
        if key == "position":
            cur["position"] = _clip(value, 80)
            cur.pop("tentative", None)  # a name over a labelled 职务 is a leader, with or without 分工
        elif key == "duties":
            self.duties(value)
        elif key == "resume":
            cur["resume"] = True

    def line(self, line: dict) -> None:
        text, links = line["text"], line["links"]
        if line["imgs"]:
            if text and self.cur is not None and not self.cur["photo"]:
                self.cur["photo"] = True  # on the leader's own line (a card)
            elif not text:
                self.pending_photo = True  # a photo above the name it belongs to
        if self.cur is not None and any(_RESUME_LINK.match(t or "") for _, t in links):
            self.cur["resume"] = True
        labels = list(_LABEL.finditer(text))
        alone = None if labels or len(text) > 8 or self.cur is None else _LABEL_ALONE.match(text)
        if alone:
            self.pending_label = alone.lastgroup
            return
        if not labels:
            value = text.replace("\t", " ").strip()
            if self.pending_label and value:
                key, self.pending_label = self.pending_label, None
                self.field(key, value, links)
            else:
                self.plain(value, links)
            return
        self.plain(text[: labels[0].start()].replace("\t", " ").strip(), links)
        for i, m in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
            value = text[m.end():end].replace("\t", " ").strip()
            key = m.lastgroup or "other"
            if value:
                self.pending_label = None
                self.field(key, value, links)
            else:
                self.pending_label = None if key == "other" else key  # value in the next block

    def plain(self, text: str, links: list[tuple[str, str]]) -> None:
        if not text:
            return
        cur = self.cur
        if cur is not None and cur["source"] == "labels" and not _POSITION_COLON.match(text) \
                and not person_name(text):
            # more of a labelled entry: its 分工 or 简历 going on in the next block
            if _DUTY_START.match(text):
                self.duties(text)
            elif _BIO.search(text):
                cur["resume"] = True
            return
        for chunk in _position_chunks(text) if _POSITION_COLON.match(text) else [text]:
            self.chunk(chunk, links)

    def chunk(self, chunk: str, links: list[tuple[str, str]]) -> None:
        lead = _POSITION_COLON.match(chunk)
        if lead and position_of(lead.group(1)):  # 局长：王堃　主持全面工作。
            rest = chunk[lead.end():].strip()
            e = self.start(position=position_of(lead.group(1)), source="positions")
            m = _NAME_HEAD.match(rest)
            if m and person_name(m.group(1)):
                e["name"] = person_name(m.group(1))
                rest = rest[m.end():].strip(" ，,、：:")
            if rest:
                e["duties"] = _clip(rest)
            return
        name = person_name(chunk)
        if name:  # a name alone: a card's first line, or a link to the leader's page
            cur = self.cur
            if cur is not None and cur["name"] is None and cur["source"] == "cards" and not cur["duties"]:
                cur["name"] = name  # its position was printed above it
            else:
                cur = self.start(name=name, source="cards", tentative=True)
            link = next((u for u, t in links if t and (person_name(t) == name or t.startswith(name))), None)
            if link:
                cur["detail"] = normalize_url(link)
            return
        m = _NAME_HEAD.match(chunk)
        if m and person_name(m.group(1)):
            rest = chunk[m.end():].strip(" ，,、：:")
            pos = POSITION.match(rest)
            if pos and position_of(pos.group(0)):  # 张三　局党组书记、局长（　负责……）
                e = self.start(name=person_name(m.group(1)), position=position_of(pos.group(0)), source="cards")
                rest = rest[pos.end():].strip(" ，,、：:。")
                if rest and DUTY_WORDS.search(rest):
                    e["duties"] = _clip(rest)
                link = next((u for u, t in links if t and t.startswith(e["name"])), None)
                if link:
                    e["detail"] = normalize_url(link)
                return
            if re.match(r"\s*[，,]\s*[男女][，,]", chunk[m.end():]):  # 张三，男，汉族，……（简历）
                self.start(name=person_name(m.group(1)), resume=True, source="cards")
                return
        position = position_of(chunk)
        if position:
            if self.cur is not None and self.cur["position"] is None and self.cur["source"] == "cards":
                self.cur["position"] = position
                self.cur.pop("tentative", None)
            else:
                self.start(position=position, source="cards")
            return
        if self.cur is None:
            return
        if _DUTY_START.match(chunk):
            self.duties(chunk)
        elif _BIO.search(chunk):
            self.cur["resume"] = True
            self.cur.pop("tentative", None)

    def result(self) -> list[dict]:
        linked = [e for e in self.entries if e.get("tentative") and e["detail"]]
        keep = [e for e in self.entries if not e.get("tentative") or (e["detail"] and len(linked) >= 2)]
        for e in keep:
            e.pop("tentative", None)
        return _merged(keep)


def _merged(entries: list[dict]) -> list[dict]:
    """One entry per name (a detail page prints its leader's name in the title and in the fields)."""
    out: list[dict] = []
    by_name: dict[str, dict] = {}
    for e in entries:
        first = by_name.get(e["name"]) if e["name"] else None
        if first is None:
            if e["name"]:
                by_name[e["name"]] = e
            out.append(e)
            continue
        for k in ("position", "duties", "detail"):
            first[k] = first[k] or e[k]
        first["photo"] = first["photo"] or e["photo"]
        first["resume"] = first["resume"] or e["resume"]
        if e["source"] in ("labels", "table"):
            first["source"] = e["source"]
    return out


def _line_entries(lines: list[dict]) -> list[dict]:
    reader = _Reader()
    for line in lines:
        reader.line(line)
    return reader.result()


def _listing_entries(items: Iterable[dict]) -> list[dict]:
    """Items of a list page whose titles are names (the 大汉 jpage lists ship them as CDATA)."""
    out = []
    for item in items:
        title = item.get("title") or ""
        name = person_name(title)
        position = None
        if not name:
            m = _NAME_HEAD.match(title.strip())
            if m and person_name(m.group(1)):
                rest = title.strip()[m.end():].strip(" ，,、：:")
                position = position_of(rest)
                name = person_name(m.group(1)) if position else None
        if name and item.get("url"):
            out.append(_entry(name=name, position=position, detail=normalize_url(item["url"]), source="list"))
    return out


def _content_root(doc):
    body = doc.find(".//body")
    return body if body is not None else doc


def extract_leaders(doc, url: str, *, title: str = "", meta: dict | None = None, breadcrumb: Iterable[str] = (),
                    listing: dict | None = None) -> dict[str, Any] | None:
    """The page's leader facts, or None when it is not a 领导信息 page.

    ``{"signal", "entries": [{name, position, duties, photo, resume, detail, source}],
    "duty_text": bool, "position_text": bool}`` — ``duty_text`` says whether 分工 words appear
    anywhere in the content (a page that has them but whose structure was not read is not
    "without 分工")."""
    if not title:
        found = doc.find(".//title")
        title = found.text_content() if found is not None else ""
    signal = leader_signal(title, meta, breadcrumb)
    if not signal:
        return None
    root = _content_root(doc)
    base = base_url(doc, url)
    lines = _lines(root, base)
    entries = _table_entries(root, base) or _line_entries(lines)
    seen = {e["name"] for e in entries if e["name"]}
    for e in _listing_entries((listing or {}).get("items") or []):
        if e["name"] not in seen:
            seen.add(e["name"])
            entries.append(e)
    text = "\n".join(line["text"] for line in lines)
    return {
        "signal": signal,
        "entries": entries[:MAX_ENTRIES],
        "duty_text": bool(DUTY_WORDS.search(text)),
        "position_text": any(position_of(p) for p in re.split(r"[\t\n：:，,。；;]", text) if 1 < len(p.strip()) <= 60),
        "photos": sum(len(line["imgs"]) for line in lines),
    }
