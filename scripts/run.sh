#!/usr/bin/env bash
# `make run`: create a demo database if there is none, then show what the
# command line can do with it.  (Grows into starting the server once it exists.)
set -euo pipefail
bin=$1 db=$2 shared=$3
if [ ! -f "$db" ]; then
  "$bin" --db "$db" init
  if [ -x "$(command -v python3)" ] && [ -f "$shared/tools/seed-events.py" ]; then
    demo=$(mktemp -d)
    python3 "$shared/tools/seed-events.py" "$demo" >/dev/null
    "$bin" --db "$db" import "$demo/units.tsv" "$demo/events.jsonl"
    rm -rf "$demo"
  fi
fi
echo
"$bin" --help
echo
echo "演示数据库：$db"
echo "试试："
echo "  $bin --db $db units list"
echo "  $bin --db $db order show R0000001"
echo "  $bin --db $db export /tmp/hotline-export"
