#!/usr/bin/env bash
# check_random.sh [N] — the monthly assessment of the CLI against the independent reference
# (ref_assess.py) on N random histories (random_history.py, seeds 1..N, default 30).
#
# For each seed: generate, import into a fresh database with $HOTLINE_BIN (default
# /work/main/build/rel/hotline), and assess both channels for the seed's target month
#   - as of a cut-off inside the target month,
#   - as of a cut-off inside the following month,
#   - as of an instant at or after the last event,
#   - without --as-of ("as of now", from the counts kept by the import), compared with the
#     reference after every event;
#   - without --as-of again, on a second database that imported the events in three pieces
#     (the second one twice: duplicates must be recognised);
#   - as of the cut-off in the following month, on a third database that imported what
#     `export` wrote from the first;
# then compare with the reference: the same set of units, and every column equal (numerically,
# and also as printed).  The row order is checked on the keys of the spec (kind, grade, index,
# due); ties broken by name are not checked.
#
# One line per mismatch, then "N passed, M failed" over (seed, channel, cut-off) cases.
# Exit status 1 when anything failed.
# CHECK_RANDOM_KEEP=DIR keeps the files of failed seeds in DIR/seed-N.
set -u

N=${1:-30}
BIN=${HOTLINE_BIN:-/work/main/build/rel/hotline}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# case name : database : cut-off (meta.json "asof" key, or "now")
CASES="in_month:h:in_month next_month:h:next_month after_all:h:after_all now:h:now split_now:s:now export_next_month:e:next_month"
PER_SEED=12   # 2 channels x 6 cases

if [ ! -x "$BIN" ]; then
    echo "check_random: no executable $BIN (set HOTLINE_BIN)" >&2
    echo "0 passed, $((N * PER_SEED)) failed"
    exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hl-random-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

pass=0
fail=0
for seed in $(seq 1 "$N"); do
    d=$WORK/seed-$seed
    mkdir -p "$d"
    if ! python3 "$HERE/random_history.py" "$seed" "$d" >"$d/gen.out" 2>&1; then
        echo "seed $seed: generator failed: $(tail -n 3 "$d/gen.out" | tr '\n' ' ')"
        fail=$((fail + PER_SEED))
        continue
    fi
    # month and cut-offs of this history, as shell variables (one python start, not one per case)
    eval "$(python3 -c 'import json,sys,shlex; m=json.load(open(sys.argv[1]))
print("month=%s" % shlex.quote(m["month"]))
for k, v in m["asof"].items(): print("asof_%s=%s" % (k, shlex.quote(v)))' "$d/meta.json")"
    if ! "$BIN" --db "$d/h.db" import "$d/units.tsv" "$d/events.jsonl" >"$d/import.out" 2>&1; then
        echo "seed $seed: import refused: $(tail -n 3 "$d/import.out" | tr '\n' ' ')"
        fail=$((fail + PER_SEED))
        [ -n "${CHECK_RANDOM_KEEP:-}" ] && mkdir -p "$CHECK_RANDOM_KEEP" && cp -r "$d" "$CHECK_RANDOM_KEEP/"
        continue
    fi
    # the same events in three pieces, the second one imported twice
    n=$(wc -l <"$d/events.jsonl")
    a=$(( (n * (seed % 5 + 2)) / 10 )); b=$(( (n * (seed % 3 + 6)) / 10 ))
    head -n "$a" "$d/events.jsonl" >"$d/p1.jsonl"
    sed -n "$((a + 1)),${b}p" "$d/events.jsonl" >"$d/p2.jsonl"
    tail -n +"$((b + 1))" "$d/events.jsonl" >"$d/p3.jsonl"
    for p in p1 p2 p2 p3; do
        if ! "$BIN" --db "$d/s.db" import "$d/units.tsv" "$d/$p.jsonl" >>"$d/import-s.out" 2>&1; then
            echo "seed $seed: import of $p (split) refused: $(tail -n 2 "$d/import-s.out" | tr '\n' ' ')"
            break
        fi
    done
    # export and import again
    if ! { "$BIN" --db "$d/h.db" export "$d/exp" && "$BIN" --db "$d/e.db" import "$d/exp/units.tsv" "$d/exp/events.jsonl"; } \
        >"$d/import-e.out" 2>&1; then
        echo "seed $seed: export/import refused: $(tail -n 2 "$d/import-e.out" | tr '\n' ' ')"
    fi
    for ch in hotline mailbox; do
        for c in $CASES; do
            IFS=: read -r case db cut <<<"$c"
            if [ "$cut" = now ]; then
                asof=()
            else
                v=asof_$cut
                asof=(--as-of "${!v}")
            fi
            "$BIN" --db "$d/$db.db" assess --channel "$ch" --month "$month" "${asof[@]}" --format tsv \
                >"$d/out.$ch.$case" 2>"$d/err.$ch.$case"
            echo $? >"$d/rc.$ch.$case"
        done
    done
    res=$(python3 - "$d" "$HERE" "$seed" "$CASES" <<'PY'
import json, os, sys
from fractions import Fraction
d, here, seed, cases = sys.argv[1], sys.argv[2], sys.argv[3], [c.split(':') for c in sys.argv[4].split()]
sys.path.insert(0, here)
import ref_assess as ra

meta = json.load(open(os.path.join(d, 'meta.json'), encoding='utf-8'))
rules = ra.load_rules()
hist = ra.load_history(os.path.join(d, 'units.tsv'), os.path.join(d, 'events.jsonl'))
month = meta['month']
passed = failed = 0
GRADE_COLS = ('kind', 'grade')


def num(s):
    s = s.strip()
    if s.endswith('%'):
        s = s[:-1]
    return Fraction(s)


def parse(text):
    lines = [l for l in text.split('\n') if l]
    if not lines:
        return None, []
    head = lines[0].split('\t')
    return head, [dict(zip(head, l.split('\t'))) for l in lines[1:]]


replays = {}
for case, db, cut in cases:
    asof = None if cut == 'now' else ra.parse_time(meta['asof'][cut])
    key = asof
    try:
        if key not in replays:
            replays[key] = ra.replay(hist, asof, rules)
    except ra.Invalid as ex:
        print('seed %s: the generated history is invalid for the reference: %s' % (seed, ex))
        print('RESULT 0 %d' % (2 * len(cases)))
        sys.exit(0)
    for ch in ('hotline', 'mailbox'):
        label = 'seed %s %s %s %s' % (seed, ch, month, case if cut == 'now' else '%s(%s)' % (case, meta['asof'][cut]))
        rows = ra.assess(hist, ch, month, asof, rules, orders=replays[key])
        want_text = ra.format_tsv(ch, rows)
        rc = open(os.path.join(d, 'rc.%s.%s' % (ch, case))).read().strip()
        got_text = open(os.path.join(d, 'out.%s.%s' % (ch, case)), encoding='utf-8', errors='replace').read()
        problems = []
        if rc != '0':
            err = open(os.path.join(d, 'err.%s.%s' % (ch, case)), encoding='utf-8', errors='replace').read()
            problems.append('assess exited %s: %s' % (rc, err.strip().replace('\n', ' ')[:300]))
        else:
            whead, want = parse(want_text)
            ghead, got = parse(got_text)
            if ghead != whead:
                problems.append('header %r, reference %r' % (ghead, whead))
            else:
                w = {r['unit']: r for r in want}
                g = {r['unit']: r for r in got}
                for u in sorted(set(w) - set(g)):
                    r = w[u]
                    problems.append('unit %s missing (reference: due %s)' % (u, r['due']))
                for u in sorted(set(g) - set(w)):
                    problems.append('unit %s extra (platform: due %s)' % (u, g[u]['due']))
                for u in sorted(set(w) & set(g)):
                    for c in whead:
                        a, b = g[u].get(c, ''), w[u][c]
                        if c in ('unit',):
                            continue
                        if c in GRADE_COLS:
                            same = a == b
                        else:
                            try:
                                same = num(a) == num(b)
                            except Exception:
                                same = False
                        if not same:
                            problems.append('unit %s column %s: platform %s, reference %s' % (u, c, a, b))
                        elif a != b:
                            problems.append('unit %s column %s printed %r, reference %r' % (u, c, a, b))
                # row order on the keys of the spec (kind, grade, index desc, due desc)
                kinds = {'county': 0, 'agency': 1, 'enterprise': 2}
                gl = [gr['grade'] for gr in rules['assessment'][ch]['grades']] + [rules['assessment'][ch]['below']]
                def k(r):
                    try:
                        return (kinds.get(r['kind'], 9), gl.index(r['grade']) if r['grade'] in gl else 9,
                                -num(r['index']), -int(r['due']))
                    except Exception:
                        return (9,)
                keys = [k(r) for r in got]
                for i in range(1, len(keys)):
                    if keys[i] < keys[i - 1]:
                        problems.append('row order: %s before %s' % (got[i - 1]['unit'], got[i]['unit']))
                        break
        if problems:
            failed += 1
            for p in problems:
                print('%s: %s' % (label, p))
        else:
            passed += 1
print('RESULT %d %d' % (passed, failed))
PY
)
    echo "$res" | grep -v '^RESULT ' | grep -v '^$'
    r=$(echo "$res" | grep '^RESULT ' | tail -n 1)
    if [ -z "$r" ]; then
        echo "seed $seed: comparison failed"
        fail=$((fail + PER_SEED))
        continue
    fi
    set -- $r
    pass=$((pass + $2))
    fail=$((fail + $3))
    if [ "$3" != 0 ] && [ -n "${CHECK_RANDOM_KEEP:-}" ]; then
        mkdir -p "$CHECK_RANDOM_KEEP" && rm -rf "$CHECK_RANDOM_KEEP/seed-$seed" && cp -r "$d" "$CHECK_RANDOM_KEEP/"
    fi
    rm -rf "$d"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
