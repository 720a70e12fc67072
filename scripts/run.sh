#!/usr/bin/env bash
# `make run`: create a demo database if there is none, then show what the
# command line can do with it.  (Grows into starting the server once it exists.)
set -euo pipefail
bin=$1 db=$2
if [ ! -f "$db" ]; then
  "$bin" --db "$db" init
  # the seed bulletin's month (Yueyang, May 2024), generated from data/demo
  "$bin" --db "$db" demo --month 2024-05
  "$bin" --db "$db" ledger propose --month 2024-05 --as-of 2024-06-24T00:00:00+08:00 --by demo
fi
echo
"$bin" --help
cat <<MSG

演示数据库：$db（2024 年 5 月，种子通报的数据）
试试：
  $bin --db $db assess --channel hotline --month 2024-05
  $bin --db $db figures --month 2024-05
  $bin --db $db ledger list --month 2024-05 --show all
  $bin --db $db order show R0000001
  $bin --db $db export /tmp/hotline-export
MSG
