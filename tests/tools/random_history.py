#!/usr/bin/env python3
"""A random but valid event history (spec/interchange.md) for checking the monthly assessment
against tests/tools/ref_assess.py.

usage: random_history.py SEED OUTDIR

writes OUTDIR/units.tsv, OUTDIR/events.jsonl and OUTDIR/meta.json:
  {"month": "YYYY-MM",                     target month of the assessment
   "asof": {"in_month": T, "next_month": T, "after_all": T},   cut-offs (RFC 3339)
   "features": {...}}                     how often each case of the lifecycle occurs

The history covers the month before the target month to the one after it (and callbacks and
verifications spill into the month after that).  Every order goes through the lifecycle table
of interchange.md with its own random path, covering everything that moves the assessment:
dispatches in the previous month called back in the target month; returns approved (re-
dispatched to another unit, sometimes the next month, sometimes to the same unit, sometimes
never) and refused; extensions approved (some replies on time only thanks to them, some
decisions only after the reply), refused or never decided; replies early, exactly at the
deadline, one second late, late; reviews returned (rework); reopens after callbacks; callbacks
of all four results, several per order; verifications upheld/excluded, some long after the
callback; supervision and rectification; orders left open at any state; dispatch to a
sub-unit; sub-dispatch down the tree; units named by code or by name; deadlines explicit
(any offset) or computed from data/rules.json and the calendar; instants in several UTC
offsets and exactly on month boundaries.

The target month is 2024-05 for seeds divisible by 3 and else drawn from 2024-02..2025-11.

Environment: HL_RANDOM_FRACTIONAL=1 adds replies half a second after the deadline, written
with fractional seconds; HL_RANDOM_NO_LATE_RETURN=1 leaves out the return requests that stay
pending while the unit replies (and so the orders that go back to 'new' after being closed
and called back).
"""
import json
import math
import os
import random
import sys
from datetime import datetime, timedelta, timezone
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ref_assess as ra  # noqa: E402  (calendar and default deadlines only)

CST = timezone(timedelta(hours=8))
# HL_RANDOM_FRACTIONAL=1: some replies half a second after the deadline, written with a
# fractional second (RFC 3339 time-secfrac)
FRACTIONAL = os.environ.get('HL_RANDOM_FRACTIONAL') == '1'
# HL_RANDOM_NO_LATE_RETURN=1: no return request left pending while the unit replies (so no
# order goes back to 'new' after it was closed and called back)
NO_LATE_RETURN = os.environ.get('HL_RANDOM_NO_LATE_RETURN') == '1'
DAY = 86400
HOUR = 3600

COUNTY = ['东湖区', '西山县', '南岭市', '北港区', '青石县', '白沙县', '云台区', '金水市', '桃源县', '龙泉区']
AGENCY = ['市发改委', '市教育局', '市公安局', '市民政局', '市财政局', '市人社局', '市住建局', '市交通局',
          '市水利局', '市卫健委', '市城管局', '市税务局', '市医保局', '市统计局']
ENTERPRISE = ['市水务集团公司', '市燃气公司', '市供电公司', '市公交集团公司', '市移动公司', '市电信公司']
TOWNS = ['城关镇', '新河乡', '长湖镇', '石桥乡', '梅溪镇']
CATEGORIES = ['城市管理类', '住房与城乡建设类', '人力资源和社会保障类', '交通运输与交通秩序类', '公共服务类',
              '环境保护类', '市场管理类']
NATURES = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise']


def month_add(month, k):
    y, m = int(month[:4]), int(month[5:7])
    m += k
    while m > 12:
        m -= 12
        y += 1
    while m < 1:
        m += 12
        y -= 1
    return '%04d-%02d' % (y, m)


class Gen:
    def __init__(self, seed):
        self.seed = seed
        r = self.r = random.Random(seed)
        if seed % 3 == 0:
            self.month = '2024-05'
        else:
            self.month = '%04d-%02d' % (r.choice([2024, 2025]), r.randint(2, 11))
        self.m0, self.m1 = ra.month_bounds(self.month)            # target month
        self.p0, _ = ra.month_bounds(month_add(self.month, -1))    # previous month
        _, self.n1 = ra.month_bounds(month_add(self.month, 1))     # end of the next month
        self.events = []
        self.feat = {}
        self.units = []     # dicts: code, name, kind, parent
        self.first = []     # first-level codes
        self.children = {}  # code -> [codes]

    # --- output helpers ----------------------------------------------------------------------

    def f(self, name, k=1):
        self.feat[name] = self.feat.get(name, 0) + k

    def fmt(self, t, plain=False):
        """RFC 3339 in a random offset (mostly +08:00)."""
        r = self.r
        x = r.random()
        if plain or x < 0.80:
            off, z = 8 * 60, False
        elif x < 0.88:
            off, z = 0, True
        elif x < 0.94:
            off, z = 0, False
        else:
            off, z = r.choice([-5 * 60, 9 * 60, 5 * 60 + 30, -(3 * 60 + 30)]), False
        whole = math.floor(t)
        dt = datetime.fromtimestamp(whole, timezone(timedelta(minutes=off)))
        s = dt.strftime('%Y-%m-%dT%H:%M:%S')
        if t != whole:
            frac = Fraction(t) - whole
            digits = ''
            while frac and len(digits) < 9:
                frac *= 10
                digits += str(int(frac))
                frac -= int(frac)
            s += '.' + digits
        if z:
            return s + 'Z'
        sign = '+' if off >= 0 else '-'
        return '%s%s%02d:%02d' % (s, sign, abs(off) // 60, abs(off) % 60)

    def emit(self, t, d):
        d['at'] = self.fmt(t)
        self.events.append((t, len(self.events), d))

    # --- time ---------------------------------------------------------------------------------

    def boundaries(self):
        out = []
        for mo in (-1, 0, 1, 2):
            b, _ = ra.month_bounds(month_add(self.month, mo))
            out += [b - 1, b]
        return out

    def later(self, t, lo, hi):
        """A time in [t+lo, t+hi]; now and then exactly a month boundary in that range,
        or exactly t."""
        r = self.r
        x = r.random()
        t = math.ceil(t)    # (after a fractional instant)
        if x < 0.03:
            return t
        if x < 0.08:
            bs = [b for b in self.boundaries() if t + lo <= b <= t + hi]
            if bs:
                self.f('time on a month boundary')
                return r.choice(bs)
        return t + r.randint(lo, max(lo, hi))

    # --- units ----------------------------------------------------------------------------------

    def make_units(self):
        r = self.r
        n = r.randint(10, 25)
        kinds = ['county', 'agency', 'enterprise'] + [r.choice(['county', 'agency', 'agency', 'enterprise'])
                                                       for _ in range(n - 3)]
        pools = {'county': list(COUNTY), 'agency': list(AGENCY), 'enterprise': list(ENTERPRISE)}
        for p in pools.values():
            r.shuffle(p)
        count = {}
        for k in kinds:
            count[k] = count.get(k, 0) + 1
            pool = pools[k]
            name = pool.pop() if pool else '%s%d' % ({'county': '新区', 'agency': '市直单位',
                                                      'enterprise': '服务公司'}[k], count[k])
            code = '%s%02d' % (k[0].upper(), count[k])
            if r.random() < 0.2:
                code = code.lower() + r.choice(['_x', '-y', ''])
            self.units.append(dict(code=code, name=name, kind=k, parent=''))
            self.first.append(code)
        counties = [u for u in self.units if u['kind'] == 'county']
        towns = list(TOWNS)
        r.shuffle(towns)
        for u in r.sample(counties, min(len(counties), r.randint(1, 3))):
            for _ in range(r.randint(1, 2)):
                if not towns:
                    break
                t = towns.pop()
                code = u['code'] + 'T%d' % (len(self.children.get(u['code'], [])) + 1)
                self.units.append(dict(code=code, name=u['name'] + t, kind=u['kind'], parent=u['code']))
                self.children.setdefault(u['code'], []).append(code)
        # one unit with a second level below a town, and an agency with a sub-unit
        towns_codes = [c for cs in self.children.values() for c in cs]
        if towns_codes:
            t = r.choice(towns_codes)
            code = t + 'V1'
            self.units.append(dict(code=code, name=self.name(t) + '一村', kind=self.unit(t)['kind'], parent=t))
            self.children.setdefault(t, []).append(code)
        ags = [u for u in self.units if u['kind'] == 'agency' and not u['parent']]
        if ags:
            a = r.choice(ags)
            code = a['code'] + 'S1'
            self.units.append(dict(code=code, name=a['name'] + '直属分局', kind='agency', parent=a['code']))
            self.children.setdefault(a['code'], []).append(code)
        # a few units get most of the orders, a few get none
        self.weight = {c: r.choice([0, 1, 2, 4, 8]) for c in self.first}
        for c in r.sample(self.first, 3):
            self.weight[c] = max(1, self.weight[c])

    def unit(self, code):
        for u in self.units:
            if u['code'] == code:
                return u
        raise KeyError(code)

    def name(self, code):
        return self.unit(code)['name']

    def subtree(self, code):
        out = []
        for c in self.children.get(code, []):
            out.append(c)
            out += self.subtree(c)
        return out

    def pick_unit(self, avoid=None):
        r = self.r
        cands = [c for c in self.first if c != avoid and self.weight[c] > 0] or [c for c in self.first if c != avoid]
        top = r.choices(cands, [max(1, self.weight[c]) for c in cands])[0]
        sub = self.subtree(top)
        if sub and r.random() < 0.25:
            self.f('dispatch to a sub-unit')
            return r.choice(sub)
        return top

    def unit_ref(self, code):
        if self.r.random() < 0.3:
            self.f('unit named by name')
            return self.name(code)
        return code

    # --- one order ------------------------------------------------------------------------------

    def deadline_for(self, t, channel, nature, urgency):
        return ra.default_deadline(self.rules, t, channel, nature, urgency)

    def order(self, k):
        r = self.r
        ch = 'hotline' if r.random() < 0.7 else 'mailbox'
        oid = ('R' if ch == 'hotline' else 'X') + '%03d%05d' % (self.seed % 1000, k)
        nature = r.choice(NATURES)
        urgency = 'urgent' if r.random() < 0.06 else 'normal'
        t = r.randint(self.p0 - 3 * DAY, self.n1 - 5 * DAY)
        self.emit(t, {'op': 'appeal', 'id': 'A' + oid, 'channel': ch,
                      'source': 'phone' if ch == 'hotline' else r.choice(['web', 'wechat', 'province']),
                      'line': r.choice(['general'] * 6 + ['npc', 'enterprise', 'tourism']),
                      'category': r.choice(CATEGORIES), 'nature': nature, 'urgency': urgency,
                      'content': '诉求内容 %s' % oid, 'location': r.choice(['', '某小区', '某路口']),
                      'citizen': {'name': '张三', 'phone': '1380000%04d' % (k % 10000)},
                      'handling': 'order', 'order': oid})
        self.f('order ' + ch)
        if r.random() < 0.02:
            self.f('order never dispatched')
            return
        prev_unit = None
        self.sup_open = False
        self.no_same_unit = False
        for attempt in range(4):
            t = self.later(t, 0, 2 * DAY if attempt == 0 else 6 * DAY)
            # (rework before an approved return is not the next unit's; the same unit again
            # would make "sent back to U" ambiguous, so not then)
            unit = self.pick_unit(avoid=prev_unit if r.random() < 0.85 or self.no_same_unit else None)
            if prev_unit is not None:
                self.f('re-dispatch after approved return')
                if unit == prev_unit:
                    self.f('re-dispatch to the same unit')
                if ra.month_bounds(self.fmt(t, True)[:7])[0] != ra.month_bounds(self.fmt(prev_t, True)[:7])[0]:
                    self.f('re-dispatch in a later month than the return')
            d = {'op': 'dispatch', 'order': oid, 'unit': self.unit_ref(unit)}
            try:
                computed = self.deadline_for(t, ch, nature, urgency)
                ra.is_working(datetime.fromtimestamp(computed, CST).date())   # year covered
            except ra.NoCalendar:
                computed = None
            if computed is not None and r.random() < 0.35:
                deadline = computed
                self.f('deadline computed')
            else:
                x = r.random()
                if x < 0.6:
                    deadline = int(datetime.fromtimestamp(t + r.randint(1, 20) * DAY, CST)
                                   .replace(hour=23, minute=59, second=59).timestamp())
                elif x < 0.95:
                    deadline = t + r.randint(2 * HOUR, 15 * DAY)
                else:
                    # (a deadline equal to the dispatch time is refused by the platform:
                    # the spec says nothing of it; one second after is the edge we keep)
                    deadline = t + 1
                    self.f('deadline one second after dispatch')
                d['deadline'] = self.fmt(deadline)
                self.f('deadline explicit')
            self.emit(t, d)
            outcome, t = self.handle(oid, ch, t, unit, deadline)
            if outcome != 'returned':
                return
            prev_unit, prev_t = unit, t
            if r.random() < 0.05:
                self.f('returned, never re-dispatched')
                return

    def maybe_stop(self, p, where):
        if self.r.random() < p:
            self.f('left open: ' + where)
            return True
        return False

    def handle(self, oid, ch, t, unit, deadline):
        """From a fresh dispatch on.  Returns ('returned', t) or ('end', t)."""
        r = self.r
        ev = lambda tt, op, **kw: self.emit(tt, dict({'op': op, 'order': oid}, **kw))
        ext = None            # pending extension 'until'
        replied = False
        holder = unit

        def extension_request(tt):
            nonlocal ext
            until = deadline + r.choice([r.randint(1, 3 * DAY), r.randint(3 * DAY, 12 * DAY), 1])
            ev(tt, 'extension_request', until=self.fmt(until), reason='情况复杂，需延期')
            ext = until
            self.f('extension requested')

        def extension_decide(tt, where):
            nonlocal ext, deadline
            ok = r.random() < 0.65
            ev(tt, 'extension_decision', approved=ok)
            self.f('extension %s (%s)' % ('approved' if ok else 'refused', where))
            if ok:
                deadline = ext
            ext = None

        def try_return(tt, state):
            """return request and decision; True when approved."""
            ev(tt, 'return_request', reason='不属于本单位职责')
            tt2 = self.later(tt, 0, 3 * DAY)
            ok = r.random() < 0.7
            ev(tt2, 'return_decision', approved=ok, reason='同意退回' if ok else '属于职责范围')
            self.f('return %s (%s)' % ('approved' if ok else 'refused', state))
            return ok, tt2

        def supervise(tt):
            if not self.sup_open and r.random() < 0.08:
                ev(tt, 'supervise', note='请加快办理')
                self.sup_open = True
                self.f('supervise')
            elif self.sup_open and r.random() < 0.5:
                ev(tt, 'rectified', note='已整改')
                self.sup_open = False
                self.f('rectified')

        # dispatched
        if self.maybe_stop(0.03, 'dispatched'):
            return 'end', t
        t = self.later(t, 0, DAY)
        if r.random() < 0.05:
            extension_request(t)
            t = self.later(t, 0, DAY)
            if r.random() < 0.8:
                extension_decide(t, 'before sign')
        if ext is None and r.random() < 0.05:
            ok, t = try_return(t, 'dispatched')
            if ok:
                return 'returned', t
        supervise(t)
        t = self.later(t, 0, DAY)
        ev(t, 'sign')
        # signed
        if holder in self.children and r.random() < 0.4:
            t = self.later(t, 0, 6 * HOUR)
            holder = r.choice(self.subtree(holder))
            ev(t, 'subdispatch', unit=self.unit_ref(holder))
            self.f('subdispatch')
            if holder in self.children and r.random() < 0.5:
                t = self.later(t, 0, 6 * HOUR)
                holder = r.choice(self.subtree(holder))
                ev(t, 'subdispatch', unit=self.unit_ref(holder))
                self.f('subdispatch twice')
        if self.maybe_stop(0.03, 'signed'):
            return 'end', t
        if ext is None and r.random() < 0.10:
            t = self.later(t, 0, 2 * DAY)
            ok, t = try_return(t, 'signed')
            if ok:
                return 'returned', t
        if ext is None and r.random() < 0.18:
            t = self.later(t, 0, 3 * DAY)
            extension_request(t)
        if ext is not None and r.random() < 0.75:
            t = self.later(t, 0, 2 * DAY)
            extension_decide(t, 'before reply')
        supervise(t)
        # a return request left pending while the unit goes on (reply, close, callbacks):
        # the lifecycle table allows it, and an approval later takes the order back to 'new'
        late_ret = False
        had_rework = False
        self.no_same_unit = False
        if ext is None and r.random() < 0.05 and not NO_LATE_RETURN:
            t = self.later(t, 0, DAY)
            ev(t, 'return_request', reason='不属于本单位职责')
            late_ret = True
            self.f('return request left pending while handling')

        def late_decide(tt, where, p):
            nonlocal late_ret
            if not late_ret or r.random() >= p:
                return False
            ok = r.random() < 0.6
            ev(tt, 'return_decision', approved=ok, reason='同意退回' if ok else '属于职责范围')
            self.f('late return %s (%s)' % ('approved' if ok else 'refused', where))
            late_ret = False
            if ok:
                self.no_same_unit = had_rework
            return ok

        rounds = 0
        while True:    # signed: reply, review; maybe rework, reopen
            rounds += 1
            if self.maybe_stop(0.03, 'signed, before reply'):
                return 'end', t
            t = self.reply_time(t, deadline, ext)
            ev(t, 'reply', text='已办理并答复群众')
            replied = True
            if late_decide(t, 'after reply', 0.3):
                return 'returned', t
            if ext is not None and r.random() < 0.5:
                t = self.later(t, 0, DAY)
                extension_decide(t, 'after reply')
            if self.maybe_stop(0.03, 'replied'):
                return 'end', t
            t = self.later(t, 0, 2 * DAY)
            if r.random() < 0.15 and rounds < 4:
                ev(t, 'review', result='return', reason='答复不完整')
                self.f('review return (rework)')
                had_rework = True
                if late_decide(t, 'after rework', 0.3):
                    return 'returned', t
                if ext is None and not late_ret and r.random() < 0.2:
                    t = self.later(t, 0, DAY)
                    extension_request(t)
                    if r.random() < 0.7:
                        t = self.later(t, 0, DAY)
                        extension_decide(t, 'after rework')
                continue
            ev(t, 'review', result='accept')
            self.f('closed')
            if late_decide(t, 'after close', 0.3):
                return 'returned', t
            if ext is not None and r.random() < 0.5:
                t = self.later(t, 0, DAY)
                extension_decide(t, 'after close')
            # closed: callbacks
            reopened = False
            ncb = r.choice([0, 1, 1, 1, 2, 2, 3])
            unverified_latest = False
            for i in range(ncb):
                t = self.later(t, 0, (3 if i == 0 else 6) * DAY)
                res = r.choices(['satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable'],
                                [5, 2, 2, 1.5])[0]
                ev(t, 'callback', result=res, note='回访')
                self.f('callback ' + res)
                if late_decide(t, 'after a callback', 0.25):
                    return 'returned', t
                if res == 'dissatisfied':
                    unverified_latest = True
                    if r.random() < 0.6:
                        t = self.later(t, 0, r.choice([2 * DAY, 20 * DAY]))
                        v = r.choice(['upheld', 'excluded'])
                        ev(t, 'verify', result=v)
                        unverified_latest = False
                        self.f('verify ' + v)
                        if v == 'upheld':
                            supervise(t)
                supervise(t)
                if res == 'dissatisfied' and rounds < 4 and r.random() < 0.35:
                    t = self.later(t, 0, 3 * DAY)
                    ev(t, 'reopen', reason='群众不满意，重新办理')
                    self.f('reopen')
                    had_rework = True
                    reopened = True
                    break
            if unverified_latest and not reopened and r.random() < 0.5:
                t = self.later(t, 0, 30 * DAY)
                v = r.choice(['upheld', 'excluded'])
                ev(t, 'verify', result=v)
                self.f('verify late ' + v)
            if not reopened:
                if self.sup_open and r.random() < 0.5:
                    t = self.later(t, 0, 5 * DAY)
                    ev(t, 'rectified', note='已整改')
                    self.sup_open = False
                    self.f('rectified')
                if late_decide(self.later(t, 0, 10 * DAY), 'at the end', 0.6):
                    return 'returned', self.events[-1][0]
                return 'end', t
            # reopened: signed again; maybe an extension
            if ext is None and not late_ret and r.random() < 0.3:
                t = self.later(t, 0, DAY)
                extension_request(t)
                if r.random() < 0.7:
                    t = self.later(t, 0, DAY)
                    extension_decide(t, 'after reopen')

    def reply_time(self, t, deadline, ext):
        r = self.r
        x = r.random()
        if ext is not None and x < 0.3 and ext > t:
            # between the deadline in force and the pending 'until' (on time if approved later)
            self.f('reply inside a pending extension')
            return r.randint(max(t, deadline + 1), ext) if max(t, deadline + 1) <= ext else max(t, ext)
        if x < 0.55 and deadline > t:
            self.f('reply before the deadline')
            return r.randint(t, deadline)
        if x < 0.65 and deadline >= t:
            self.f('reply exactly at the deadline')
            return deadline
        if x < 0.72 and deadline + 1 >= t:
            if FRACTIONAL and r.random() < 0.5:
                self.f('reply half a second late')
                return deadline + Fraction(1, 2)
            self.f('reply one second late')
            return deadline + 1
        self.f('reply late')
        return max(t, deadline) + r.randint(HOUR, 8 * DAY)

    # --- the whole history ----------------------------------------------------------------------

    def run(self, out):
        r = self.r
        self.rules = ra.load_rules()
        self.make_units()
        n = r.randint(300, 1500)
        for k in range(1, n + 1):
            self.order(k)
        for k in range(r.randint(5, 30)):    # direct answers: no order
            t = r.randint(self.p0, self.n1)
            self.emit(t, {'op': 'appeal', 'id': 'D%03d%04d' % (self.seed % 1000, k),
                          'channel': r.choice(['hotline', 'mailbox']), 'source': 'phone', 'line': 'general',
                          'category': r.choice(CATEGORIES), 'nature': 'consult', 'urgency': 'normal',
                          'content': '咨询', 'location': '', 'citizen': {'name': '李四', 'phone': '13900000000'},
                          'handling': 'direct', 'kb': []})
        self.events.sort(key=lambda e: (e[0], e[1]))
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, 'units.tsv'), 'w', encoding='utf-8') as f:
            f.write('code\tname\tkind\tparent_code\n')
            for u in self.units:
                f.write('%s\t%s\t%s\t%s\n' % (u['code'], u['name'], u['kind'], u['parent']))
        with open(os.path.join(out, 'events.jsonl'), 'w', encoding='utf-8') as f:
            for _, _, d in self.events:
                f.write(json.dumps(d, ensure_ascii=False) + '\n')
        # cut-offs: inside the target month, inside the next one (sometimes exactly an event's
        # instant, to test "at or before"), and after every event
        times = [e[0] for e in self.events]
        nm0, nm1 = self.m1, self.n1

        def cut(lo, hi):
            inside = [x for x in times if lo <= x < hi]
            if inside and r.random() < 0.5:
                return r.choice(inside)
            return r.randint(lo, hi - 1)

        last = times[-1]
        asof = {'in_month': self.fmt(cut(self.m0 + 10 * DAY, self.m1)),
                'next_month': self.fmt(cut(nm0, nm1)),
                'after_all': self.fmt(last if r.random() < 0.5 else last + r.randint(1, 40 * DAY))}
        with open(os.path.join(out, 'meta.json'), 'w', encoding='utf-8') as f:
            json.dump({'seed': self.seed, 'month': self.month, 'asof': asof, 'orders': n,
                       'events': len(self.events), 'units': len(self.units),
                       'features': dict(sorted(self.feat.items()))}, f, ensure_ascii=False, indent=1)
        return n


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    g = Gen(int(argv[1]))
    g.run(argv[2])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
