"""The notice's blocks (notice_blocks) laid out as HTML, for reading on screen.

Figures (Strong runs) are bold, as on screen they are read at a glance (no spaces around
them: Chinese text sets numbers between the characters); the chart is embedded; attachments link to the 整改清单 files beside the notice.
"""
from __future__ import annotations

import base64
from urllib.parse import quote

from markupsafe import Markup, escape

from . import notice_blocks as nb

INDENT = "　　"


def _runs(runs: tuple[nb.Run, ...]) -> str:
    # No spaces around figures: in a Chinese sentence numbers sit between the characters (共发现问题39个).
    return "".join(str(escape(r)) if isinstance(r, str) else f"<strong>{escape(r.text)}</strong>" for r in runs)


def _paragraph(b: nb.Paragraph) -> str:
    cls = ' class="muted"' if b.note else ""
    return f"<p{cls}>{INDENT if b.indent and not b.note else ''}{_runs(b.runs)}</p>"


def _table(b: nb.Table) -> str:
    def cell(tag: str, i: int, value) -> str:
        cls = ' class="num"' if i in b.numeric else ""
        return f"<{tag}{cls}>{escape('' if value is None else value)}</{tag}>"

    rows = ["<tr>" + "".join(cell("th", i, h) for i, h in enumerate(b.header)) + "</tr>"]
    rows += ["<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in b.rows]
    if not b.rows and b.empty:
        rows.append(f'<tr><td colspan="{len(b.header)}">{escape(b.empty)}</td></tr>')
    return '<div class="table-wrap"><table>\n' + "\n".join(rows) + "\n</table></div>"


def _figure(b: nb.Figure) -> str:
    src = base64.b64encode(b.png).decode("ascii")
    return (f'<figure style="margin:1em 0;text-align:center">\n<img src="data:image/png;base64,{src}" '
            f'alt="{escape(b.caption)}" style="max-width:100%">\n<figcaption class="muted">{escape(b.caption)}</figcaption>\n</figure>')


def _attachments(b: nb.Attachments) -> str:
    if not b.items:
        return f"<p>{INDENT}附件：无</p>"
    links = [f'{i}. <a href="{escape(quote(href))}">{escape(label)}</a>' for i, (label, href) in enumerate(b.items, 1)]
    return f"<p>{INDENT}附件：" + f"<br>{INDENT}　　　".join(links) + "</p>"


def _masthead(b: nb.Masthead) -> str:
    name = b.issuer if b.form == "letter" else f"{b.issuer}文件"
    rule = "border-top:4px double #c00" if b.form == "letter" else "border-top:2px solid #c00"
    number = f'<p class="docno" style="text-align:{"right" if b.form == "letter" else "center"}">{escape(b.number)}</p>\n'
    head = ('<p class="issuer" style="text-align:center;color:#c00;font-size:1.8em;letter-spacing:0.1em;'
            f'margin-bottom:0">{escape(name)}</p>\n')
    if b.form == "letter":
        return head + f'<hr style="border:0;{rule}">\n' + (number if b.number else "")
    return head + (number if b.number else "") + f'<hr style="border:0;{rule}">'


LAYOUT = {
    nb.Masthead: _masthead,
    nb.Title: lambda b: "<h1>" + "<br>".join(str(escape(x)) for x in (b.lines or (b.text,))) + "</h1>",
    nb.Imprint: lambda b: '<div class="imprint">' + "".join(f"<p>{escape(x)}</p>" for x in b.lines) + "</div>",
    nb.Heading: lambda b: f"<h{b.level + 1}>{escape(b.text)}</h{b.level + 1}>",
    nb.Paragraph: _paragraph,
    nb.Table: _table,
    nb.Figure: _figure,
    nb.Attachments: _attachments,
    nb.Signature: lambda b: '<p style="text-align:right;margin-top:3em">' + "<br>".join(map(str, map(escape, b.lines))) + "</p>",
}


def render(blocks: list[nb.Block]) -> Markup:
    """The notice's body as HTML (the page around it is templates/notice.html.j2)."""
    return Markup("\n".join(LAYOUT[type(b)](b) for b in blocks))
