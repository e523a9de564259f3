"""The board as one self-contained HTML page (``outposts-orders status --html FILE``).

``render_html`` is pure: the stacks as ``stack.read_stack`` read them, the renewal margin and the time the page
is made go in; the page comes out. The page requests nothing: its CSS is inline, its timelines are inline SVG,
and it names no script, font, image or link to load. It reads in light and dark mode (``prefers-color-scheme``)
and prints (``@media print``: light colours, a stack a page, nothing cut at the right edge).

Per stack, a section: the time of its state; what is late or blocked, in red with the reason; a timeline per
Outpost (each ``OutpostOrder`` a bar from submission to fulfilment, or to today while open; the stage its line
items had reached at the last refresh; the contract end and the renewal deadline, with ``--contracts``); a
timeline of the Amazon Business orders (the state ties them to no Outpost): each order a bar from its placement
to its last delivery date, each line's delivery window and each package's; then the tables of the Markdown
board (``rows.table_rows``, ``amazon_business.table_rows``, ``contracts.Contract.row``), every value escaped.
Every stack of the page shares one time axis, so their timelines line up.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_outposts_orders.amazon_business.results import TROUBLE
from pulumi_outposts_orders.outposts.billing import RENEWAL_NOTICE_BUSINESS_DAYS, business_days_left
from pulumi_outposts_orders.status import amazon_business as amazon
from pulumi_outposts_orders.status import contracts as _contracts
from pulumi_outposts_orders.status.amazon_business import AmazonLine, AmazonOrder
from pulumi_outposts_orders.status.deployment import Order
from pulumi_outposts_orders.status.render import AMAZON_TITLE
from pulumi_outposts_orders.status.rows import HEADERS, STAGES, day, table_rows
from pulumi_outposts_orders.status.stack import Stack

# The timeline's geometry, in SVG user units (the drawing scales to the page's width).
WIDTH = 960
PLOT_LEFT = 270
PLOT_RIGHT = 940
AXIS = 38
ROW = 36
LABEL_CHARS = 36
"""Labels longer than this are cut with ``…`` (the whole label is the element's tooltip)."""
CHAR_WIDTH = 6.6
"""About how wide a character of the 11-unit status text is, to place it beside its bar."""
NEAR_DAYS = 120
"""Contract ends and renewal deadlines this close to the orders' dates widen the axis; farther ones are named at
its edge."""
FINISHED = ("COMPLETED", "FULFILLED")
STOPPED = ("CANCELLED", "ERROR")
ATTENTION = "Late or blocked"


@dataclass(frozen=True)
class Flag:
    """Something late or blocked: what (an order ID, Amazon order number, tracking number or Outpost), why (a
    sentence naming it), and the few words the timeline shows beside its bar."""

    subject: str
    reason: str
    short: str


def render_html(stacks: Sequence[Stack], margin: int, now: datetime.datetime) -> str:
    """The page for ``stacks`` (each in a section of its own), with contract warnings ``margin`` business days
    beyond AWS's notice, as of ``now`` (today's line; a delivery date before it that has not come is late)."""
    now = _utc(now)
    scale = _scale(stacks, now)
    names = ", ".join(stack.name for stack in stacks) or "no stack"
    states = "".join(f"<li><code>{_e(stack.name)}</code>: as of the last refresh or update, "
                     f"{_e(stack.as_of or 'an unknown time')}</li>" for stack in stacks)
    sections = "\n".join(_section(stack, margin, now, scale) for stack in stacks)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Outposts orders: {_e(names)}</title>
<style>{CSS}</style>
</head>
<body>
<header class="page-header">
<h1>Outposts orders of {"stacks" if len(stacks) > 1 else "stack"} {_e(names)}</h1>
<ul class="states">{states}</ul>
<p class="made">Page made {now:%Y-%m-%d %H:%M} UTC from the stacks' state (no AWS call, but for contracts);
run <code>pulumi refresh</code> for the current state.</p>
</header>
<main>
{sections}
</main>
<footer>{_legend()}</footer>
</body>
</html>
"""


# --- what is late or blocked ---------------------------------------------------------------------------------------
def order_flags(order: Order) -> list[Flag]:
    """An order in ERROR, or a line item of it in ERROR."""
    if order.status == "ERROR":
        return [Flag(order.order_id, f"order {order.order_id} ({order.name}) is in ERROR", "order in ERROR")]
    return [Flag(order.order_id, f"line item {item.catalog_item_id} x{item.quantity} of order {order.order_id} "
                 f"({order.name}) is in ERROR", f"{item.catalog_item_id} in ERROR")
            for item in order.line_items if item.status == "ERROR"]


def amazon_flags(order: AmazonOrder, now: datetime.datetime) -> list[Flag]:
    """Amazon accepted nothing; then per line (``line_flags``)."""
    return order_level_flags(order) + [flag for line in order.lines for flag in line_flags(order, line, now)]


def order_level_flags(order: AmazonOrder) -> list[Flag]:
    """Amazon accepted no line of the order."""
    if order.delivery_status != "REJECTED":
        return []
    return [Flag(order.external_id, f"Amazon accepted no line of {order.name} ({order.short_id()}): REJECTED",
                 "nothing accepted")]


def line_flags(order: AmazonOrder, line: AmazonLine, now: datetime.datetime) -> list[Flag]:
    """A line's Amazon order CANCELLED; a package DELAYED, UNDELIVERABLE, RETURNED (or refunded); a delivery date
    past with the package (or the line, before it ships) not delivered."""
    subject = line.order_number or order.external_id
    if order.delivery_status == "TRIAL" or not line.accepted:
        return []
    if line.order_status == "CANCELLED":
        return [Flag(subject, f"Amazon order {subject} ({order.name}, {line.asin}) was CANCELLED", "CANCELLED")]
    if line.order_status == "CLOSED":
        return []
    found = []
    for package in line.packages:
        status = str(package.get("status") or "SHIPPED")
        name = str(package.get("tracking_number") or package.get("package_id") or "a package")
        due = _window(package)[1] or line.delivery[1]
        if status in TROUBLE:
            found.append(Flag(name, f"package {name} of Amazon order {subject} ({order.name}) is {status}",
                              f"package {status}"))
        elif status != "DELIVERED" and _past(due, now):
            found.append(Flag(name, f"package {name} of Amazon order {subject} ({order.name}) was due by {day(due)} "
                              f"and is {status}", f"late: due {day(due)}"))
    if not line.packages and _past(line.delivery[1], now):
        found.append(Flag(subject, f"{line.asin} of Amazon order {subject} ({order.name}) was due by "
                          f"{day(line.delivery[1])} and has not shipped", f"late: due {day(line.delivery[1])}"))
    return found


def contract_flags(contract: _contracts.Contract, margin: int) -> list[Flag]:
    """A renewal due (``Contract.due``), or a contract that could not be read."""
    if contract.billing is None:
        return [Flag(contract.outpost, f"the contract of Outpost {contract.outpost} could not be read: "
                     f"{contract.error}", "contract not read")]
    end = contract.billing.end()
    if end is None or not contract.due(margin):
        return []
    deadline = renewal_deadline(end)
    return [Flag(contract.outpost, f"Outpost {contract.outpost}: renew by {deadline}; the term ends {end} with no "
                 f"renewal pending ({business_days_left(contract.today, end)} business days left)",
                 f"renew by {deadline}")]


def renewal_deadline(end: datetime.date) -> datetime.date:
    """The last business day that leaves AWS's notice (``RENEWAL_NOTICE_BUSINESS_DAYS``) before ``end``."""
    deadline = end - datetime.timedelta(days=1)
    while deadline.weekday() >= 5 or business_days_left(deadline, end) < RENEWAL_NOTICE_BUSINESS_DAYS:
        deadline -= datetime.timedelta(days=1)
    return deadline


# --- a stack's section ---------------------------------------------------------------------------------------------
def _section(stack: Stack, margin: int, now: datetime.datetime, scale: _Scale) -> str:
    flags = ([f for order in stack.orders for f in order_flags(order)]
             + [f for order in stack.amazon_orders for f in amazon_flags(order, now)]
             + [f for contract in stack.contracts or [] for f in contract_flags(contract, margin)])
    parts = [f'<section class="stack" data-stack="{_e(stack.name)}">',
             f"<h2>Stack <code>{_e(stack.name)}</code></h2>",
             f'<p class="as-of">As of the last refresh or update: {_e(stack.as_of or "an unknown time")}. Run '
             "<code>pulumi refresh</code> for the current state.</p>"]
    if flags:
        items = "".join(f'<li class="flag" data-subject="{_e(f.subject)}">{_e(f.reason)}</li>' for f in flags)
        parts.append(f'<div class="flags" role="alert"><h3>{ATTENTION}</h3><ul>{items}</ul></div>')
    elif stack.orders or stack.amazon_orders or stack.contracts:
        parts.append('<p class="all-clear">Nothing is late or blocked.</p>')
    if not stack.orders and not stack.amazon_orders and not stack.contracts:
        parts.append('<p class="empty">The stack has no orders.</p>')
    parts += _timelines(stack, margin, now, scale)
    parts += _tables(stack, margin, now)
    parts.append("</section>")
    return "\n".join(parts)


def _tables(stack: Stack, margin: int, now: datetime.datetime) -> list[str]:
    parts = []
    if stack.orders:
        rows = [(row, order_flags(order)) for order in stack.orders for row in table_rows([order])]
        parts += ["<h3>Outposts orders</h3>", _table("orders", HEADERS, rows)]
    elif stack.amazon_orders:
        parts.append("<p>The stack has no Outposts orders.</p>")
    if stack.amazon_orders:
        amazon_rows = []
        for order in stack.amazon_orders:
            whole = order_level_flags(order)
            for row, line in zip(amazon.table_rows([order]), order.lines or (None,), strict=True):
                amazon_rows.append((row, whole + (line_flags(order, line, now) if line else [])))
        parts += [f"<h3>{_e(AMAZON_TITLE)}</h3>", _table("amazon", amazon.HEADERS, amazon_rows)]
    if stack.contracts is not None:
        parts.append("<h3>Contracts (GetOutpostBillingInformation, when the page was made)</h3>")
        if not stack.contracts:
            parts.append("<p>The stack's orders and renewals name no Outpost.</p>")
        else:
            due = [c.outpost for c in stack.contracts if c.due(margin)]
            if due:
                parts.append(f'<p class="renew-now flagged"><strong>Renew now</strong>: '
                             f"{', '.join(f'<code>{_e(o)}</code>' for o in due)} (the term ends within AWS's notice of "
                             f"{RENEWAL_NOTICE_BUSINESS_DAYS} business days plus {margin}, with no renewal "
                             "pending).</p>")
            rows = [(contract.row(margin), contract_flags(contract, margin)) for contract in stack.contracts]
            parts.append(_table("contracts", _contracts.HEADERS, rows))
    return parts


def _table(kind: str, headers: Sequence[str], rows: Iterable[tuple[Sequence[str], Sequence[Flag]]]) -> str:
    """An HTML table of the Markdown board's cells, every value escaped; a row that is late or blocked is red, with
    its reasons on a row of their own under it (the table keeps the board's columns)."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for cells, flags in rows:
        shown = "".join(f"<td>{_cell(c)}</td>" for c in cells)
        if not flags:
            body.append(f"<tr>{shown}</tr>")
            continue
        said = "<br>".join(f"⚠ {_e(f.reason)}" for f in flags)
        body.append(f'<tr class="flagged">{shown}</tr><tr class="flagged reason"><td colspan="{len(headers)}">'
                    f"{said}</td></tr>")
    return (f'<div class="table-wrap"><table class="{kind}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _cell(text: str) -> str:
    """A Markdown cell as HTML: escaped, its code spans as ``<code>``, its ``<br>`` (contracts) as line breaks."""
    return "<br>".join(re.sub(r"`([^`]*)`", r"<code>\1</code>", _e(part)).replace("\n", "<br>")
                       for part in str(text).split("<br>"))


# --- timelines -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Scale:
    start: datetime.datetime
    end: datetime.datetime

    def x(self, when: datetime.datetime) -> float:
        """Where ``when`` is on the plot (clamped to it)."""
        share = (when - self.start) / (self.end - self.start)
        return round(PLOT_LEFT + min(max(share, 0.0), 1.0) * (PLOT_RIGHT - PLOT_LEFT), 1)

    def holds(self, when: datetime.datetime) -> bool:
        return self.start <= when <= self.end


def _scale(stacks: Sequence[Stack], now: datetime.datetime) -> _Scale:
    """One axis for the page: every order's dates and today, padded; contract dates when near them."""
    core = [now]
    for stack in stacks:
        core += _dates([stack.as_of])
        for order in stack.orders:
            core += _dates([order.submitted, order.fulfilled])
        for found in stack.amazon_orders:
            core += _dates([found.placed_at])
            for line in found.lines:
                core += _dates([*line.delivery, *(w for p in line.packages for w in _window(p))])
    low, high = min(core), max(core)
    for stack in stacks:
        for contract in stack.contracts or []:
            end = contract.billing.end() if contract.billing else None
            if end is not None:
                for when in (_start_of(end), _start_of(renewal_deadline(end))):
                    if low - datetime.timedelta(days=NEAR_DAYS) <= when <= high + datetime.timedelta(days=NEAR_DAYS):
                        low, high = min(low, when), max(high, when)
    span = max(high - low, datetime.timedelta(days=14))
    pad = max(span / 25, datetime.timedelta(days=1))
    middle = low + (high - low) / 2
    return _Scale(middle - span / 2 - pad, middle + span / 2 + pad)


def _timelines(stack: Stack, margin: int, now: datetime.datetime, scale: _Scale) -> list[str]:
    contracts = {c.outpost: c for c in stack.contracts or []}
    outposts = sorted({o.outpost_id for o in stack.orders} | set(contracts))
    parts = []
    for outpost in outposts:
        mine = sorted((o for o in stack.orders if o.outpost_id == outpost), key=lambda o: (o.submitted or "", o.name))
        svg = _outpost_svg(outpost, mine, contracts.get(outpost), margin, now, scale, stack.as_of)
        parts.append(f'<figure class="timeline outpost" data-outpost="{_e(outpost)}"><figcaption>Outpost '
                     f"<code>{_e(outpost)}</code></figcaption>{svg}</figure>")
    if stack.amazon_orders:
        svg = _amazon_svg(stack.amazon_orders, now, scale, stack.as_of)
        parts.append('<figure class="timeline amazon"><figcaption>Amazon Business orders (site hardware: the state '
                     "ties them to no Outpost)</figcaption>" + svg + "</figure>")
    return ["<h3>Timeline</h3>", *parts] if parts else []


def _outpost_svg(outpost: str, found: Sequence[Order], contract: _contracts.Contract | None, margin: int,
                 now: datetime.datetime, scale: _Scale, as_of: str | None) -> str:
    seen = _when(as_of) or now
    rows = []
    for index, order in enumerate(found):
        top = AXIS + index * ROW
        flags = order_flags(order)
        start = _when(order.submitted) or seen
        fulfilled = _when(order.fulfilled)
        end = fulfilled or (seen if order.status in (*STOPPED, *FINISHED) else now)
        is_open = fulfilled is None and order.status not in (*STOPPED, *FINISHED)
        x0, x1 = scale.x(start), scale.x(max(end, start))
        tip = (f"{order.name} {order.order_id}: {order.status}, submitted {day(order.submitted)}, "
               + (f"fulfilled {day(order.fulfilled)}" if fulfilled else "open" if is_open else
                  f"{order.status} by the last refresh"))
        classes = f"bar order {_status_class(order.status)}{' open' if is_open else ''}{' flagged' if flags else ''}"
        parts = [_labels(top, order.name, order.order_id),
                 f'<rect class="{classes}" data-id="{_e(order.order_id)}" x="{x0}" y="{top + 9}" '
                 f'width="{max(x1 - x0, 3.0):.1f}" height="16" rx="3"><title>{_e(tip)}</title></rect>']
        if is_open:
            parts.append(f'<path class="open-end {_status_class(order.status)}" d="M{max(x1, x0 + 3)},{top + 9} '
                         f'l7,8 l-7,8 z"/>')
        stage = _furthest_stage(order)
        if fulfilled is not None:
            parts.append(_milestone("fulfilled", scale.x(fulfilled), top, f"fulfilled {day(order.fulfilled)}"))
        elif stage is not None and order.status not in STOPPED:
            parts.append(_milestone(stage.lower(), scale.x(seen), top,
                                    f"{stage} by the last refresh ({as_of or 'unknown time'})"))
        shorts = [f.short for f in flags]
        said = " · ".join([*([] if any(order.status in short for short in shorts) else [order.status]),
                           *([stage] if stage and stage != order.status else []),
                           *(["⚠ " + "; ".join(shorts)] if shorts else [])])
        parts.append(_status_text(said, x0, x1 + (8 if is_open else 0), top, flagged=bool(flags)))
        rows.append(f'<g class="row" data-id="{_e(order.order_id)}">{"".join(parts)}</g>')
    height = AXIS + len(found) * ROW
    if contract is not None:
        rows.append(_contract_row(contract, margin, height, scale))
        height += ROW + 6
    return _svg(f"Timeline of Outpost {outpost}", height + 8, scale, now, rows)


def _contract_row(contract: _contracts.Contract, margin: int, top: int, scale: _Scale) -> str:
    """The contract end and the renewal deadline: lines across the Outpost's timeline, or named at its edge."""
    label = _labels(top, "Contract", "term end, renewal deadline")
    if contract.billing is None:
        said = "⚠ contract not read (see Contracts below)"
        return f'<g class="contract">{label}{_status_text(said, PLOT_LEFT, PLOT_LEFT, top, flagged=True)}</g>'
    end = contract.billing.end()
    if end is None:
        return f'<g class="contract">{label}{_status_text("no contract end date", PLOT_LEFT, PLOT_LEFT, top)}</g>'
    deadline = renewal_deadline(end)
    renewal = contract.billing.renewal()
    due = contract.due(margin)
    late = " flagged" if due else ""
    pending = f" · renewal pending from {str(renewal.get('BeginDate') or '—')[:10]}" if renewal else ""
    parts = [label]
    off = []
    for when, kind, text in ((end, "contract-end", f"term ends {end}{pending}"),
                             (deadline, f"renewal-deadline{late}", f"renew by {deadline}")):
        moment = _start_of(when)
        if not scale.holds(moment):
            off.append(text)
            continue
        x = scale.x(moment)
        anchor = "end" if x > PLOT_RIGHT - 160 else "start"
        shift = -4 if anchor == "end" else 4
        line_y = top + (14 if kind == "contract-end" else 29)
        parts.append(f'<line class="marker {kind}" x1="{x}" x2="{x}" y1="{AXIS - 4}" y2="{top + ROW}">'
                     f"<title>{_e(text)}</title></line>"
                     f'<text class="marker-label {kind}" x="{x + shift}" y="{line_y}" '
                     f'text-anchor="{anchor}">{_e(text)}</text>')
    if off:
        text = " · ".join(off) + " →"
        parts.append(f'<text class="offscale{late}" x="{PLOT_RIGHT}" y="{top + 22}" text-anchor="end">'
                     f"{_e(text)}</text>")
    return f'<g class="contract" data-outpost="{_e(contract.outpost)}">{"".join(parts)}</g>'


def _amazon_svg(found: Sequence[AmazonOrder], now: datetime.datetime, scale: _Scale, as_of: str | None) -> str:
    seen = _when(as_of) or now
    rows = []
    top = AXIS
    for order in found:
        windows = [w for line in order.lines for w in _dates(line.delivery)]
        windows += [w for line in order.lines for p in line.packages for w in _dates(_window(p))]
        start = _when(order.placed_at) or (min(windows) if windows else seen)
        end = max([start, *windows])
        x0, x1 = scale.x(start), scale.x(end)
        whole = order_level_flags(order)
        flags = amazon_flags(order, now)
        tip = (f"{order.name} {order.external_id}: {order.delivery_status}, placed {day(order.placed_at)}, "
               f"last delivery date {day(end.isoformat()) if windows else '—'}")
        classes = f"bar amazon {_status_class(order.delivery_status)}{' flagged' if flags else ''}"
        said = order.delivery_status + (" · ⚠ " + "; ".join(f.short for f in whole) if whole
                                         else " · ⚠ see its lines" if flags else "")
        rows.append(f'<g class="row" data-id="{_e(order.external_id)}">{_labels(top, order.name, order.short_id())}'
                    f'<rect class="{classes}" data-id="{_e(order.external_id)}" x="{x0}" y="{top + 9}" '
                    f'width="{max(x1 - x0, 3.0):.1f}" height="16" rx="3"><title>{_e(tip)}</title></rect>'
                    f"{_status_text(said, x0, x1, top, flagged=bool(whole))}</g>")
        top += ROW
        for line in order.lines:
            rows.append(_amazon_line(order, line, top, now, scale, start))
            top += ROW
    return _svg("Timeline of the Amazon Business orders", top + 8, scale, now, rows)


def _amazon_line(order: AmazonOrder, line: AmazonLine, top: int, now: datetime.datetime, scale: _Scale,
                 placed: datetime.datetime) -> str:
    """A line: its delivery window, each package's window (or its due date) under it, and its status."""
    flags = line_flags(order, line, now)
    number = line.order_number or "no Amazon order"
    parts = [_labels(top, line.ordered(), number, indent=16)]
    lower, upper = (_when(w) for w in line.delivery)
    x0 = x1 = scale.x(placed)
    if lower or upper:
        x0, x1 = scale.x(lower or upper or placed), scale.x(upper or lower or placed)
        classes = f"window line{' flagged' if flags else ''}"
        tip = f"{line.ordered()} ({number}): delivery {day(line.delivery[0])} to {day(line.delivery[1])}"
        parts.append(f'<rect class="{classes}" data-order-number="{_e(number)}" x="{x0}" y="{top + 8}" '
                     f'width="{max(x1 - x0, 4.0):.1f}" height="12" rx="2"><title>{_e(tip)}</title></rect>')
    for package in line.packages:
        status = str(package.get("status") or "SHIPPED")
        name = str(package.get("tracking_number") or package.get("package_id") or "package")
        p_lower, p_upper = (_when(w) for w in _window(package))
        p_upper = p_upper or upper
        p_lower = p_lower or p_upper
        if p_lower is None or p_upper is None:
            continue
        late = any(f.subject == name for f in flags)
        tip = f"package {name} {package.get('carrier') or ''}: {status}, due {day(p_upper.isoformat())}"
        px0, px1 = scale.x(p_lower), scale.x(p_upper)
        parts.append(f'<rect class="package {_status_class(status)}{" flagged" if late else ""}" '
                     f'data-tracking="{_e(name)}" x="{px0}" y="{top + 23}" width="{max(px1 - px0, 4.0):.1f}" '
                     f'height="6" rx="2"><title>{_e(tip)}</title></rect>')
    statuses = ", ".join(str(p.get("status") or "SHIPPED") for p in line.packages) or "no package yet"
    shorts = [f.short for f in flags]
    reported = None if any(line.order_status and line.order_status in short for short in shorts) \
        else line.order_status
    said = " · ".join(s for s in (reported, "⚠ " + "; ".join(shorts) if shorts else statuses) if s)
    parts.append(_status_text(said, x0, x1, top, flagged=bool(flags), small=True))
    return f'<g class="row line" data-order-number="{_e(number)}">{"".join(parts)}</g>'


def _svg(title: str, height: int, scale: _Scale, now: datetime.datetime, rows: Sequence[str]) -> str:
    """The drawing: the axis with its ticks and grid, today's line, the rows over it (their words stay legible)."""
    ticks = []
    for when, text in _ticks(scale):
        x = scale.x(when)
        ticks.append(f'<line class="grid" x1="{x}" x2="{x}" y1="{AXIS - 16}" y2="{height - 6}"/>'
                     f'<text class="tick" x="{x}" y="14" text-anchor="middle">{_e(text)}</text>')
    x = scale.x(now)
    anchor = "end" if x > PLOT_RIGHT - 80 else "start"
    today = (f'<line class="today" x1="{x}" x2="{x}" y1="{AXIS - 16}" y2="{height - 6}"><title>today, '
             f'{now:%Y-%m-%d %H:%M} UTC</title></line><text class="today-label" x="{x + (-4 if anchor == "end" else 4)}'
             f'" y="{AXIS - 6}" text-anchor="{anchor}">today {now:%Y-%m-%d}</text>')
    return (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
            f'role="img" aria-label="{_e(title)}"><title>{_e(title)}</title>'
            f'<line class="axis" x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{AXIS - 16}" y2="{AXIS - 16}"/>'
            f'{"".join(ticks)}{today}{"".join(rows)}</svg>')


def _ticks(scale: _Scale) -> list[tuple[datetime.datetime, str]]:
    """Dates to mark on the axis: days, Mondays, months, quarters or years, whichever gives at most ten."""
    span = (scale.end - scale.start).days
    first = scale.start.date()
    if span <= 12:
        days = [first + datetime.timedelta(days=n) for n in range(span + 2)]
        return [(_start_of(d), d.strftime("%b %d")) for d in days if scale.holds(_start_of(d))]
    if span <= 70:
        monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
        days = [monday + datetime.timedelta(days=7 * n) for n in range(span // 7 + 2)]
        return [(_start_of(d), d.strftime("%b %d")) for d in days if scale.holds(_start_of(d))]
    step = 1 if span <= 300 else 3 if span <= 900 else 12
    month = datetime.date(first.year, first.month, 1)
    found = []
    while _start_of(month) <= scale.end:
        if scale.holds(_start_of(month)) and (month.month - 1) % step == 0:
            found.append((_start_of(month), month.strftime("%Y" if step == 12 else "%b %Y")))
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return found


def _labels(top: int, name: str, below: str, indent: int = 0) -> str:
    """A row's two labels, left of the plot: a name and an identifier, each cut to fit."""
    cut = LABEL_CHARS - indent // 7
    return (f'<text class="label" x="{8 + indent}" y="{top + 15}">{_e(_cut(name, cut))}<title>{_e(name)}</title>'
            f'</text><text class="sublabel" x="{8 + indent}" y="{top + 29}">{_e(_cut(below, cut))}<title>'
            f"{_e(below)}</title></text>")


def _status_text(text: str, x0: float, x1: float, top: int, flagged: bool = False, small: bool = False) -> str:
    """A bar's status beside it: right of it when it fits, else left of it, else at the plot's right edge."""
    width = len(text) * CHAR_WIDTH
    if x1 + 8 + width <= PLOT_RIGHT:
        x, anchor = x1 + 8, "start"
    elif x0 - 8 - width >= PLOT_LEFT:
        x, anchor = x0 - 8, "end"
    else:
        x, anchor = PLOT_RIGHT, "end"
    classes = f"status{' flagged' if flagged else ''}{' small' if small else ''}"
    return (f'<text class="{classes}" x="{round(x, 1)}" y="{top + 21 if not small else top + 18}" '
            f'text-anchor="{anchor}">{_e(text)}</text>')


def _milestone(kind: str, x: float, top: int, tip: str) -> str:
    middle = top + 17
    return (f'<path class="milestone {_e(kind)}" d="M{x},{middle - 8} l6,8 l-6,8 l-6,-8 z">'
            f"<title>{_e(tip)}</title></path>")


def _furthest_stage(order: Order) -> str | None:
    """The furthest stage from SHIPPED on that a line item of the order had reached at the last refresh."""
    reached = [STAGES.index(i.status) for i in order.line_items if i.status in STAGES]
    furthest = max(reached, default=-1)
    return STAGES[furthest] if furthest >= STAGES.index("SHIPPED") else None


def _legend() -> str:
    keys = [("bar", "an order: submission to fulfilment (open: to today ▸)"), ("done", "fulfilled"),
            ("milestone", "◆ the stage reached at the last refresh, or fulfilment"),
            ("window", "an Amazon line's delivery window"), ("package", "a package's delivery window"),
            ("today", "today"), ("term", "term end"), ("deadline", "renewal deadline (5 business days before)"),
            ("late", "late or blocked")]
    shown = "".join(f'<li><span class="key {k}"></span>{_e(text)}</li>' for k, text in keys)
    return f'<ul class="legend">{shown}</ul><p>Made by <code>outposts-orders status --html</code>.</p>'


# --- dates ---------------------------------------------------------------------------------------------------------
def _when(value: str | datetime.datetime | datetime.date | None) -> datetime.datetime | None:
    """A time from the state's ISO 8601 text (``Z``, an offset, a bare date) or ``as_of``'s ``… UTC``; UTC."""
    if value is None or isinstance(value, datetime.datetime):
        return None if value is None else _utc(value)
    if isinstance(value, datetime.date):
        return _start_of(value)
    text = str(value).strip().replace(" UTC", "+00:00").replace("Z", "+00:00")
    try:
        return _utc(datetime.datetime.fromisoformat(text))
    except ValueError:
        return None


def _dates(values: Iterable[str | None]) -> list[datetime.datetime]:
    return [w for w in (_when(v) for v in values) if w is not None]


def _window(package: Mapping[str, Any]) -> tuple[str | None, str | None]:
    window = package.get("delivery_window")
    if not isinstance(window, list | tuple) or not window:
        return None, None
    return (str(window[0]) if window[0] else None), (str(window[-1]) if window[-1] else None)


def _past(value: str | None, now: datetime.datetime) -> bool:
    when = _when(value)
    return when is not None and when < now


def _start_of(value: datetime.date) -> datetime.datetime:
    return datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.UTC)


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.replace(tzinfo=datetime.UTC) if value.tzinfo is None else value.astimezone(datetime.UTC)


# --- text ----------------------------------------------------------------------------------------------------------
def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _cut(text: str, size: int = LABEL_CHARS) -> str:
    return text if len(text) <= size else text[:size - 1] + "…"


def _status_class(status: str) -> str:
    """``st-in-progress``: a status as a class name (only letters, digits and dashes)."""
    return "st-" + re.sub(r"[^a-z0-9]+", "-", status.lower()).strip("-")


CSS = """
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --rule: #d1d9e0; --panel: #f6f8fa;
  --bar: #0969da; --done: #1a7f37; --stopped: #8c959f; --late: #cf222e; --late-bg: #ffebe9;
  --window: #bf8700; --package: #8250df; --today: #bc4c00; --term: #1f2328;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --rule: #3d444d; --panel: #151b23;
    --bar: #4493f8; --done: #3fb950; --stopped: #6e7681; --late: #ff7b72; --late-bg: #3d1518;
    --window: #d29922; --package: #ab7df8; --today: #f0883e; --term: #e6edf3;
  }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 1.5rem; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
h1 { font-size: 1.5rem; margin: 0 0 0.4rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.3rem; padding-bottom: 0.2rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.3rem 0 0.5rem; }
.page-header { border-bottom: 2px solid var(--rule); padding-bottom: 0.6rem; }
.states { margin: 0; padding-left: 1.2rem; }
.made, .as-of, footer p { color: var(--muted); }
.flags { border: 1px solid var(--late); border-left: 6px solid var(--late); background: var(--late-bg);
  padding: 0.4rem 0.9rem; border-radius: 6px; }
.flags h3 { color: var(--late); margin: 0.2rem 0; }
.flags ul { margin: 0.2rem 0 0.4rem; padding-left: 1.2rem; }
.flag, .renew-now { color: var(--late); }
.all-clear { color: var(--done); }
figure { margin: 0 0 1rem; }
figcaption { font-weight: 600; margin-bottom: 0.2rem; }
svg.chart { display: block; max-width: 100%; height: auto; font-size: 12px; font-family: inherit; }
svg text { paint-order: stroke; stroke: var(--bg); stroke-width: 3px; stroke-linejoin: round; }
svg .axis { stroke: var(--muted); }
svg .grid { stroke: var(--rule); stroke-dasharray: 2 3; }
svg .tick { fill: var(--muted); font-size: 11px; }
svg .label { fill: var(--fg); font-weight: 600; }
svg .sublabel { fill: var(--muted); font-size: 11px; font-family: ui-monospace, Menlo, Consolas, monospace; }
svg .status { fill: var(--fg); font-size: 11px; }
svg .status.small { fill: var(--muted); }
svg .status.flagged, svg .marker-label.flagged, svg .offscale.flagged { fill: var(--late); font-weight: 600; }
svg .bar, svg .open-end { fill: var(--bar); }
svg .bar.open { fill-opacity: 0.7; }
svg .bar.st-completed, svg .bar.st-fulfilled, svg .bar.st-delivered.amazon, svg .bar.st-trial { fill: var(--done); }
svg .bar.st-cancelled, svg .bar.st-rejected { fill: var(--stopped); }
svg .bar.flagged, svg .window.flagged { fill: var(--late); stroke: var(--late); }
svg .window { fill: var(--window); fill-opacity: 0.75; }
svg .package { fill: var(--package); }
svg .package.st-delivered { fill: var(--done); }
svg .package.flagged { fill: var(--late); }
svg .milestone { fill: var(--bg); stroke: var(--fg); stroke-width: 1.6; }
svg .milestone.fulfilled, svg .milestone.delivered, svg .milestone.installed { stroke: var(--done); }
svg .today { stroke: var(--today); stroke-width: 2; }
svg .today-label { fill: var(--today); font-size: 11px; font-weight: 600; }
svg line.contract-end { stroke: var(--term); stroke-width: 1.5; }
svg line.renewal-deadline { stroke: var(--window); stroke-width: 1.5; stroke-dasharray: 5 3; }
svg line.renewal-deadline.flagged { stroke: var(--late); }
svg .marker-label, svg .offscale { fill: var(--fg); font-size: 11px; }
.table-wrap { overflow-x: auto; margin-bottom: 1rem; }
table { border-collapse: collapse; font-size: 12px; min-width: 100%; }
th, td { border: 1px solid var(--rule); padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
th { background: var(--panel); }
td code { overflow-wrap: anywhere; }
tr.flagged td { color: var(--late); background: var(--late-bg); }
tr.flagged:not(.reason) td { border-bottom-style: dashed; }
tr.reason td { font-weight: 600; border-top: 0; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; color: var(--muted); }
.key { display: inline-block; width: 1.6em; height: 0.8em; margin-right: 0.35em; vertical-align: middle;
  border-radius: 2px; }
.key.bar { background: var(--bar); } .key.done { background: var(--done); } .key.window { background: var(--window); }
.key.package { background: var(--package); height: 0.4em; } .key.late { background: var(--late); }
.key.milestone { border: 2px solid var(--fg); width: 0.8em; transform: rotate(45deg); }
.key.today { border-left: 3px solid var(--today); width: 0.3em; }
.key.term { border-left: 2px solid var(--term); width: 0.3em; }
.key.deadline { border-left: 2px dashed var(--window); width: 0.3em; }
footer { margin-top: 2rem; border-top: 1px solid var(--rule); font-size: 12px; }
@media print {
  :root {
    color-scheme: light;
    --bg: #ffffff; --fg: #000000; --muted: #444c56; --rule: #b0b8c1; --panel: #eef1f4;
    --bar: #0969da; --done: #1a7f37; --stopped: #8c959f; --late: #c00000; --late-bg: #fff0f0;
    --window: #9a6700; --package: #8250df; --today: #bc4c00; --term: #000000;
  }
  body { max-width: none; padding: 0; font-size: 10pt; }
  section.stack + section.stack { break-before: page; }
  figure, tr, .flags { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 8pt; min-width: 0; width: 100%; }
  td, th { word-break: break-word; }
}
"""
