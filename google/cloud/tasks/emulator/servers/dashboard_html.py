"""The dashboard's page frame and the small pieces its pages are written with.

Everything a page needs is here and in the page itself: the stylesheet (light
and dark, following the system's setting), the one small script, the favicon
(an SVG), and helpers that write times, statuses and tables the same way on
every page.  Nothing is fetched from elsewhere.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterable
from http import HTTPStatus

#: the favicon: a small clock face on a blue square
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="7" fill="#1a73e8"/>'
    '<circle cx="16" cy="16" r="9" fill="none" stroke="#fff" stroke-width="3"/>'
    '<path d="M16 10v6l4 3" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round"/>'
    "</svg>"
)

COLOURS = """
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#f6f8fa;--card:#fff;
--line:#d0d7de;--head:#eaeef2;--bar:#24292f;--link:#0969da;--ok:#1a7f37;--warn:#9a6700;
--bad:#cf222e;--c0:#2da44e;--c1:#d4a72c;--c2:#cf222e;--c3:#8250df;--c4:#0969da;
--focus:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;
--card:#161b22;--line:#30363d;--head:#21262d;--bar:#010409;--link:#4493f8;--ok:#3fb950;
--warn:#d29922;--bad:#f85149;--c0:#3fb950;--c1:#d29922;--c2:#f85149;--c3:#a371f7;
--c4:#4493f8;--focus:#4493f8}}
"""

#: what a chart needs of the stylesheet (also given to a chart served as an SVG document)
CHART_STYLE = """
svg text{fill:var(--muted);font:14px system-ui,sans-serif}
.k0{color:var(--c0);fill:var(--c0);stroke:var(--c0);background:var(--c0)}
.k1{color:var(--c1);fill:var(--c1);stroke:var(--c1);background:var(--c1)}
.k2{color:var(--c2);fill:var(--c2);stroke:var(--c2);background:var(--c2)}
.k3{color:var(--c3);fill:var(--c3);stroke:var(--c3);background:var(--c3)}
.k4{color:var(--c4);fill:var(--c4);stroke:var(--c4);background:var(--c4)}
.grid{stroke:var(--line);stroke-width:1}
svg .line{fill:none}
"""

STYLE = (
    COLOURS
    + CHART_STYLE
    + """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
header{background:var(--bar);color:#fff;padding:8px 16px;display:flex;flex-wrap:wrap;
gap:8px 16px;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}
header nav a{font-weight:400;margin-right:12px}header nav a[aria-current]{text-decoration:underline}
header form{margin-left:auto;display:flex;gap:4px}
header input{width:16em;max-width:50vw;padding:4px 6px;border-radius:6px;border:1px solid #57606a;
background:#0d1117;color:#fff}
main{padding:12px 16px;max-width:1400px}
h1{font-size:1.4em;margin:.3em 0}h2{font-size:1.15em;margin:1em 0 .4em}
h3{font-size:1em;margin:.8em 0 .3em;color:var(--muted)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;background:var(--card);width:100%}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--head);font-weight:600}
th[scope=row]{width:14em;white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
form{display:inline}.actions{margin:.5em 0}
button{margin:1px;cursor:pointer;padding:3px 10px;border-radius:6px;border:1px solid var(--line);
background:var(--card);color:var(--fg);font:inherit}
button.danger{color:var(--bad)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.RUNNING{color:var(--ok);font-weight:600}.PAUSED{color:var(--warn);font-weight:600}
.DISABLED{color:var(--muted);font-weight:600}
.bad{color:var(--bad)}.good{color:var(--ok)}.muted{color:var(--muted)}
pre,code{font:12px/1.4 ui-monospace,monospace}
pre{white-space:pre-wrap;word-break:break-all;background:var(--card);border:1px solid var(--line);
padding:8px;max-height:30em;overflow:auto;margin:0}
code{background:var(--head);padding:1px 4px;border-radius:4px}
.pills a{display:inline-block;padding:2px 10px;margin:2px;border:1px solid var(--line);
border-radius:99px;text-decoration:none}
.pills a[aria-current]{background:var(--link);color:var(--card);border-color:var(--link)}
.outcome{font-size:1.1em;font-weight:600;padding:8px 12px;border-radius:6px;background:var(--card);
border:1px solid var(--line)}
.empty{background:var(--card);border:1px dashed var(--line);padding:12px 16px;border-radius:6px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:12px}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px}
figcaption{font-weight:600;margin-bottom:4px}
.key span{margin-right:10px;white-space:nowrap}.key i{display:inline-block;width:10px;height:10px;
margin-right:4px;border-radius:2px}
@media (max-width:700px){main{padding:8px}th,td{padding:3px 5px}
.wide{display:inline-block;max-width:10em;overflow:hidden;text-overflow:ellipsis;
white-space:nowrap;vertical-align:bottom}
header form{margin-left:0;width:100%}header input{flex:1;max-width:none}}
"""
)

#: Re-fetches the page's <main> every second and swaps it in when it changed, keeping
#: keyboard focus on the same control; asks before any form marked data-confirm acts.
SCRIPT = """
(function(){
  let busy = false;
  document.addEventListener("submit", function(e){
    const ask = e.target.getAttribute("data-confirm");
    if (ask && !window.confirm(ask)) e.preventDefault();
  }, true);
  async function refresh(){
    if (busy || document.hidden) return;
    busy = true;
    try {
      const r = await fetch(location.href, {headers: {"X-Dashboard-Fragment": "1"}});
      const main = document.querySelector("main");
      if ((r.ok || r.status === 404) && main) {
        const text = await r.text();
        if (main.innerHTML !== text) {
          const had = document.activeElement, key = had && had.getAttribute("data-key");
          main.innerHTML = text;
          if (key && main.contains(had) === false) {
            const again = main.querySelector('[data-key="' + CSS.escape(key) + '"]');
            if (again) again.focus();
          }
        }
      }
    } catch (e) {} finally { busy = false; }
  }
  setInterval(refresh, 1000);
})();
"""

#: the pages named in the header's navigation
NAV = (("/", "Queues"), ("/ui/settings", "Settings"))


def e(value: object) -> str:
    """``value`` as HTML text (quotes escaped too, so it may go in an attribute)."""
    return html.escape(str(value), quote=True)


def page(title: str, main: str, query: str = "", here: str = "") -> str:
    """A whole page: header (navigation and search box holding ``query``) and ``main``."""
    nav = "".join(
        f'<a href="{path}"{" aria-current=page" if path == here else ""}>{label}</a> '
        for path, label in NAV
    )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>{e(title)} · Cloud Tasks emulator</title>"
        '<link rel=icon type="image/svg+xml" href="/favicon.ico">'
        f"<style>{STYLE}</style></head><body>"
        '<header><a href="/">Cloud Tasks emulator</a>'
        f"<nav>{nav}</nav>"
        '<form method=get action="/ui/search" role=search>'
        '<input type=search name=q aria-label="Find a task by id or name"'
        f' placeholder="Find a task by id or name" value="{e(query)}" data-testid=search>'
        "<button type=submit>Find</button></form></header>"
        f"<main>{main}</main><script>{SCRIPT}</script></body></html>"
    )


def table(
    head: Iterable[str], rows: Iterable[Iterable[str]], test_id: str, numeric: Iterable[int] = ()
) -> str:
    """A table of ``rows`` (cells already HTML) under the column names ``head``."""
    right = set(numeric)
    top = "".join(f"<th scope=col>{e(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if i in right else ''}>{cell}</td>" for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f'<div class=scroll><table data-testid="{test_id}"><tr>{top}</tr>{body}</table></div>'


def facts(rows: Iterable[tuple[str, str]], test_id: str) -> str:
    """A table of facts: a heading cell and a value (HTML) per row, no header row."""
    body = "".join(f"<tr><th scope=row>{e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<div class=scroll><table data-testid="{test_id}">{body}</table></div>'


def empty(text: str, command: str = "") -> str:
    """An empty state: what is missing and, when given, the command that makes some."""
    shown = f"<pre>{e(command)}</pre>" if command else ""
    return f"<div class=empty data-testid=empty><p>{text}</p>{shown}</div>"


def status_words(status: int) -> str:
    """``404 Not Found``: an HTTP status with its reason phrase."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status}"


def absolute(us: int) -> str:
    """A time in microseconds since the epoch, as UTC to the millisecond."""
    when = datetime.datetime.fromtimestamp(us / 1e6, datetime.timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + " UTC"


def span(seconds: float) -> str:
    """A length of time in the largest unit that fits: ``850 ms``, ``4.2 s``, ``10 min``."""
    seconds = abs(seconds)
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit}"
    return f"{seconds:.0f} s"  # pragma: no cover - every span of 60 s or more fits above


def when(us: int, now_us: int) -> str:
    """``in 10 min`` / ``3 s ago`` relative to ``now_us``, the absolute time on hover."""
    if not us:
        return ""
    delta = (us - now_us) / 1e6
    if abs(delta) < 0.5:
        words = "now"
    elif delta > 0:
        words = f"in {span(delta)}"
    else:
        words = f"{span(delta)} ago"
    stamp = datetime.datetime.fromtimestamp(us / 1e6, datetime.timezone.utc).isoformat()
    return f'<time datetime="{stamp}" title="{e(absolute(us))}">{words}</time>'
