#!/usr/bin/env python3
"""Reference implementation of the monthly assessment (spec/assessment.md), written from the
specification only, independently of src/: it replays the interchange files
(spec/interchange.md) order by order up to a cut-off and scores every first-level unit.

usage: ref_assess.py UNITS.tsv EVENTS.jsonl CHANNEL YYYY-MM ASOF [RULES.json]

ASOF is an RFC 3339 instant, or "end" for "after every event".  RULES defaults to
$HOTLINE_RULES, else data/rules.json of this repository.  Prints the assessment TSV
(header + one row per graded unit, annex order).  Exact arithmetic throughout: integers and
fractions, half-up rounding, the index from the rounded rates.

The replay also checks every event against the lifecycle table of interchange.md and stops
with the line number when one does not fit, so it doubles as a validator of generated
histories.

Importable: load_history(), assess(), format_tsv(), deadline_after_working_days().
"""
import json
import os
import sys
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_RULES = os.environ.get('HOTLINE_RULES') or \
    os.path.normpath(os.path.join(HERE, '..', '..', 'data', 'rules.json'))
CST = timezone(timedelta(hours=8))   # Asia/Shanghai has had no DST since 1991

# ---------------------------------------------------------------------------------------------
# Calendar: spec/calendar.md, the arrangements table, as published.


def _days(y, spec):
    out = set()
    for part in spec:
        if isinstance(part[0], tuple):
            (m1, d1), (m2, d2) = part
            d = date(y, m1, d1)
            while d <= date(y, m2, d2):
                out.add(d)
                d += timedelta(days=1)
        else:
            out.add(date(y, part[0], part[1]))
    return out


HOLIDAYS = (
    _days(2024, [(1, 1), ((2, 10), (2, 17)), ((4, 4), (4, 6)), ((5, 1), (5, 5)), ((6, 8), (6, 10)),
                 ((9, 15), (9, 17)), ((10, 1), (10, 7))])
    | _days(2025, [(1, 1), ((1, 28), (2, 4)), ((4, 4), (4, 6)), ((5, 1), (5, 5)), ((5, 31), (6, 2)),
                   ((10, 1), (10, 8))])
    | _days(2026, [((1, 1), (1, 3)), ((2, 15), (2, 23)), ((4, 4), (4, 6)), ((5, 1), (5, 5)),
                   ((6, 19), (6, 21)), ((9, 25), (9, 27)), ((10, 1), (10, 7))]))
MAKEUP = (
    _days(2024, [(2, 4), (2, 18), (4, 7), (4, 28), (5, 11), (9, 14), (9, 29), (10, 12)])
    | _days(2025, [(1, 26), (2, 8), (4, 27), (9, 28), (10, 11)])
    | _days(2026, [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)]))
CALENDAR_YEARS = (2024, 2025, 2026)


class NoCalendar(Exception):
    pass


def is_working(d):
    if d.year not in CALENDAR_YEARS:
        raise NoCalendar('no working-day calendar for %d' % d.year)
    return d in MAKEUP or (d.weekday() < 5 and d not in HOLIDAYS)


def deadline_after_working_days(t, n):
    """23:59:59 (Asia/Shanghai) of the n-th working day after the day of dispatch t (epoch s)."""
    d = datetime.fromtimestamp(t, CST).date()
    if d.year not in CALENDAR_YEARS:
        raise NoCalendar('no working-day calendar for %d' % d.year)
    k = 0
    while k < n:
        d += timedelta(days=1)
        if is_working(d):
            k += 1
    return int(datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=CST).timestamp())


def load_rules(path=None):
    with open(path or DEFAULT_RULES, encoding='utf-8') as f:
        return json.load(f)


def default_deadline(rules, t, channel, nature, urgency):
    facts = {'channel': channel, 'nature': nature, 'urgency': urgency}
    for lim in rules['time_limits']:
        if all(facts.get(k) == v for k, v in lim['when'].items()):
            if 'hours' in lim:
                return t + 3600 * int(lim['hours'])
            return deadline_after_working_days(t, int(lim['working_days']))
    raise ValueError('no time limit matches')


# ---------------------------------------------------------------------------------------------
# Time


def parse_time(s):
    """RFC 3339 with offset → epoch seconds (Fraction when there are fractional seconds)."""
    if not isinstance(s, str) or len(s) < 20 or s[10] not in 'Tt':
        raise ValueError('malformed time %r' % (s,))
    if s[-1] in 'zZ':
        s = s[:-1] + '+00:00'
    dt = datetime.fromisoformat(s)
    if dt.tzinfo is None:
        raise ValueError('time without offset %r' % (s,))
    base = int((dt.replace(microsecond=0) - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds())
    return base + Fraction(dt.microsecond, 10 ** 6) if dt.microsecond else base


def month_bounds(month):
    y, m = int(month[:4]), int(month[5:7])
    start = datetime(y, m, 1, tzinfo=CST)
    end = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=CST)
    return int(start.timestamp()), int(end.timestamp())


# ---------------------------------------------------------------------------------------------
# Replay


class Invalid(Exception):
    pass


class Order:
    __slots__ = ('id', 'channel', 'nature', 'urgency', 'state', 'unit', 'dispatched_at', 'deadline',
                 'holder', 'ret_pending', 'ext_pending', 'reworked', 'reply_at', 'accepted_reply_at',
                 'replied_since_dispatch', 'callbacks', 'supervision_open')

    def __init__(self, oid, channel, nature, urgency):
        self.id = oid
        self.channel = channel
        self.nature = nature
        self.urgency = urgency
        self.state = 'new'
        self.unit = None            # unit the order was dispatched to (code)
        self.holder = None          # unit holding it now inside the tree (sub-dispatch)
        self.dispatched_at = None
        self.deadline = None
        self.ret_pending = False
        self.ext_pending = None     # the requested 'until'
        self.reworked = False       # sent back for rework since the current dispatch
        self.reply_at = None        # the reply awaiting review / last reviewed
        self.accepted_reply_at = None
        self.replied_since_dispatch = False
        self.callbacks = []         # [time, result, verification or None]
        self.supervision_open = False


class History:
    def __init__(self, units, events):
        self.units = units          # code -> dict(name, kind, parent)
        self.events = events        # list of (lineno, time, dict)


def load_units(path):
    units = {}
    with open(path, encoding='utf-8') as f:
        header = f.readline().rstrip('\n').split('\t')
        if header[:4] != ['code', 'name', 'kind', 'parent_code']:
            raise Invalid('units: bad header %r' % header)
        for line in f:
            line = line.rstrip('\n')
            if not line:
                continue
            code, name, kind, parent = (line.split('\t') + [''] * 4)[:4]
            units[code] = {'code': code, 'name': name, 'kind': kind, 'parent': parent or None}
    return units


def load_history(units_path, events_path):
    units = load_units(units_path)
    events = []
    with open(events_path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            e = json.loads(line)
            events.append((n, parse_time(e['at']), e))
    return History(units, events)


def _root(units, code):
    seen = 0
    while units[code]['parent']:
        code = units[code]['parent']
        seen += 1
        if seen > 100:
            raise Invalid('unit cycle')
    return code


def _in_subtree(units, code, top):
    while code:
        if code == top:
            return True
        code = units[code]['parent']
    return False


def replay(hist, asof, rules):
    """Every order as of the cut-off (epoch s, or None for after every event).
    Returns (orders by id, callbacks [(time, order)])."""
    units = hist.units
    by_name = {u['name']: c for c, u in units.items()}

    def unit_of(ref, n):
        if ref in units:
            return ref
        if ref in by_name:
            return by_name[ref]
        raise Invalid('line %d: unknown unit %r' % (n, ref))

    orders = {}
    last_t = None
    for n, t, e in hist.events:
        if last_t is not None and t < last_t:
            raise Invalid('line %d: events not in time order' % n)
        last_t = t
        if asof is not None and t > asof:
            continue   # keep checking the order of the file, apply nothing after the cut-off
        op = e['op']

        def bad(why):
            raise Invalid('line %d: %s: order %s: %s' % (n, op, e.get('order'), why))

        if op == 'appeal':
            if e.get('handling') == 'order':
                oid = e['order']
                if oid in orders:
                    bad('duplicate order')
                if e['channel'] not in ('hotline', 'mailbox'):
                    bad('bad channel')
                orders[oid] = Order(oid, e['channel'], e.get('nature'), e.get('urgency'))
            continue
        o = orders.get(e.get('order'))
        if o is None:
            bad('unknown order')
        st = o.state
        if op == 'dispatch':
            if st != 'new':
                bad('is %s, not new' % st)
            o.unit = o.holder = unit_of(e['unit'], n)
            o.dispatched_at = t
            o.deadline = parse_time(e['deadline']) if e.get('deadline') is not None else \
                default_deadline(rules, t, o.channel, o.nature, o.urgency)
            o.state = 'dispatched'
            o.reworked = False
            o.replied_since_dispatch = False
            o.ret_pending = False
            o.ext_pending = None
            o.reply_at = o.accepted_reply_at = None
        elif op == 'sign':
            if st != 'dispatched':
                bad('is %s, not dispatched' % st)
            o.state = 'signed'
        elif op == 'subdispatch':
            if st != 'signed':
                bad('is %s, not signed' % st)
            target = unit_of(e['unit'], n)
            if not _in_subtree(units, target, o.holder) or target == o.holder:
                bad('target outside the holder\'s subtree')
            o.holder = target
        elif op == 'return_request':
            if st not in ('dispatched', 'signed') or o.replied_since_dispatch or o.ret_pending:
                bad('not allowed')
            if o.ext_pending is not None:   # "no request pending": of either kind
                bad('an extension request is pending')
            o.ret_pending = True
        elif op == 'return_decision':
            if not o.ret_pending:
                bad('no return request pending')
            o.ret_pending = False
            if e['approved'] is True:
                o.state = 'new'
                o.unit = o.holder = None
                o.dispatched_at = o.deadline = None
            elif e['approved'] is not False:
                bad('approved must be a bool')
        elif op == 'extension_request':
            if st not in ('dispatched', 'signed') or o.ext_pending is not None:
                bad('not allowed')
            until = parse_time(e['until'])
            if not until > o.deadline:
                bad('until not later than the deadline in force')
            if o.ret_pending:
                bad('generator rule: no extension request while a return is pending')
            o.ext_pending = until
        elif op == 'extension_decision':
            if o.ext_pending is None:
                bad('no extension request pending')
            if e['approved'] is True:
                o.deadline = o.ext_pending
            elif e['approved'] is not False:
                bad('approved must be a bool')
            o.ext_pending = None
        elif op == 'reply':
            if st != 'signed':
                bad('is %s, not signed' % st)
            o.state = 'replied'
            o.reply_at = t
            o.replied_since_dispatch = True
        elif op == 'review':
            if st != 'replied':
                bad('no reply pending')
            if e['result'] == 'accept':
                o.state = 'closed'
                o.accepted_reply_at = o.reply_at
            elif e['result'] == 'return':
                o.state = 'signed'
                o.reworked = True
            else:
                bad('bad result')
        elif op == 'callback':
            if st != 'closed':
                bad('is %s, not closed' % st)
            if e['result'] not in ('satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable'):
                bad('bad result')
            o.callbacks.append([t, e['result'], None])
        elif op == 'verify':
            latest = None
            for cb in o.callbacks:
                if cb[1] == 'dissatisfied':
                    latest = cb
            if latest is None or latest[2] is not None:
                bad('no unverified dissatisfied callback (latest)')
            if e['result'] not in ('upheld', 'excluded'):
                bad('bad result')
            latest[2] = e['result']
        elif op == 'supervise':
            if st == 'new':
                bad('is new')
            if o.supervision_open:
                bad('generator rule: one supervision at a time')
            o.supervision_open = True
        elif op == 'rectified':
            if not o.supervision_open:
                bad('no supervision open')
            o.supervision_open = False
        elif op == 'reopen':
            if st != 'closed':
                bad('is %s, not closed' % st)
            o.state = 'signed'
            o.reworked = True
            o.accepted_reply_at = None
        else:
            bad('unknown op')
    return orders


# ---------------------------------------------------------------------------------------------
# Scoring


def pct(num, den):
    """100·num/den in hundredths, rounded half-up (an int)."""
    x = Fraction(100 * 100 * num, den)
    return int((x + Fraction(1, 2)) // 1)


def round_half_up(x, decimals):
    """Fraction x rounded half-up to `decimals` → int in units of 10^-decimals."""
    return int((x * 10 ** decimals + Fraction(1, 2)) // 1)


def fmt_fixed(v, decimals):
    s = '-' if v < 0 else ''
    v = abs(v)
    if decimals == 0:
        return s + str(v)
    return '%s%d.%0*d' % (s, v // 10 ** decimals, decimals, v % 10 ** decimals)


def assess(hist, channel, month, asof, rules, orders=None):
    """Rows (dicts) in annex order. asof: epoch seconds or None (after every event);
    orders: the result of replay(hist, asof, rules), when the caller has it already."""
    if orders is None:
        orders = replay(hist, asof, rules)
    a = rules['assessment']
    cfg = a[channel]
    rdec = int(a.get('rate_decimals', 2))
    if rdec != 2:
        raise ValueError('this reference supports 2-decimal rates only')
    m0, m1 = month_bounds(month)
    units = hist.units
    stats = {}

    def st(code):
        return stats.setdefault(code, dict(due=0, done=0, on_time=0, rework=0, callbacks=0,
                                           dissatisfied=0, satisfied=0))

    for o in orders.values():
        if o.channel != channel or o.unit is None:
            continue
        u = _root(units, o.unit)
        s = st(u)
        if m0 <= o.dispatched_at < m1:
            s['due'] += 1
            if o.state == 'closed':
                s['done'] += 1
                if o.accepted_reply_at <= o.deadline:
                    s['on_time'] += 1
            if o.reworked:
                s['rework'] += 1
        for t, res, ver in o.callbacks:
            if m0 <= t < m1 and res != 'unreachable':
                s['callbacks'] += 1
                if res == 'dissatisfied' and ver != 'excluded':
                    s['dissatisfied'] += 1
                if res in ('satisfied', 'basically_satisfied'):
                    s['satisfied'] += 1

    bad_col = 'dissatisfied' if channel == 'hotline' else 'satisfied'
    idec = int(cfg['index_decimals'])
    rows = []
    for code, s in stats.items():
        if units[code]['parent'] or s['due'] == 0:
            continue
        r = dict(kind=units[code]['kind'], unit=units[code]['name'], code=code, **s)
        r['done_rate'] = pct(s['done'], s['due'])
        r['on_time_rate'] = pct(s['on_time'], s['due'])
        r['rework_rate'] = pct(s['rework'], s['due'])
        if s['callbacks']:
            r['dissatisfied_rate'] = pct(s['dissatisfied'], s['callbacks'])
            r['satisfied_rate'] = pct(s['satisfied'], s['callbacks'])
        else:
            r['dissatisfied_rate'] = 0
            r['satisfied_rate'] = 10000
        idx = Fraction(0)
        for term in cfg['index']:
            v = Fraction(r[term['rate']], 100)
            if term.get('complement'):
                v = 100 - v
            idx += Fraction(term['weight']) * v
        r['index'] = round_half_up(idx, idec)
        ix = Fraction(r['index'], 10 ** idec)
        r['grade'] = cfg['below']
        for g in cfg['grades']:
            if ix >= Fraction(g['min']):
                r['grade'] = g['grade']
                break
        rows.append(r)
    kinds = {'county': 0, 'agency': 1, 'enterprise': 2}
    grades = [g['grade'] for g in cfg['grades']] + [cfg['below']]
    rows.sort(key=lambda r: (kinds.get(r['kind'], 9), grades.index(r['grade']), -r['index'], -r['due'],
                             r['unit']))
    for r in rows:
        r['bad_col'] = bad_col
        r['index_decimals'] = idec
    return rows


def header(channel):
    bad = 'dissatisfied' if channel == 'hotline' else 'satisfied'
    return ['kind', 'unit', 'due', 'done', 'done_rate', 'on_time', 'on_time_rate', 'rework',
            'rework_rate', bad, bad + '_rate', 'callbacks', 'index', 'grade']


def format_row(r):
    b = r['bad_col']
    rate = lambda v: fmt_fixed(v, 2) + '%'
    return [r['kind'], r['unit'], str(r['due']), str(r['done']), rate(r['done_rate']), str(r['on_time']),
            rate(r['on_time_rate']), str(r['rework']), rate(r['rework_rate']), str(r[b]),
            rate(r[b + '_rate']), str(r['callbacks']), fmt_fixed(r['index'], r['index_decimals']),
            r['grade']]


def format_tsv(channel, rows):
    out = ['\t'.join(header(channel))]
    out += ['\t'.join(format_row(r)) for r in rows]
    return '\n'.join(out) + '\n'


def main(argv):
    if len(argv) not in (6, 7):
        sys.stderr.write(__doc__)
        return 2
    units_p, events_p, channel, month, asof_s = argv[1:6]
    rules = load_rules(argv[6] if len(argv) == 7 else None)
    if channel not in ('hotline', 'mailbox'):
        sys.stderr.write('channel must be hotline or mailbox\n')
        return 2
    asof = None if asof_s in ('end', 'now', '') else parse_time(asof_s)
    hist = load_history(units_p, events_p)
    try:
        rows = assess(hist, channel, month, asof, rules)
    except Invalid as ex:
        sys.stderr.write('ref_assess: %s\n' % ex)
        return 1
    sys.stdout.write(format_tsv(channel, rows))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
