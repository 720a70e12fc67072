#!/usr/bin/env bash
# `make run`: create a demo database if there is none (the seed bulletin's
# month, one demo login per role), then start the server and print its URL.
set -euo pipefail
bin=$1 db=$2
listen=${LISTEN:-127.0.0.1:8080}
# name role unit — the demo logins; password: demo-NAME
users=(
  "operator1 operator -"      "dispatcher1 dispatcher -" "callback1 callback -"
  "supervisor1 supervisor -"  "handler1 unit_handler C02" "unitadmin1 unit_admin C02"
  "kbowner1 kb_owner C02"     "manager1 manager -"        "admin1 admin -"
)
if [ ! -f "$db" ]; then
  "$bin" --db "$db" init
  # the seed bulletin's month (Yueyang, May 2024), generated from data/demo
  "$bin" --db "$db" demo --month 2024-05
  "$bin" --db "$db" ledger propose --month 2024-05 --as-of 2024-06-24T00:00:00+08:00 --by demo
  # a few knowledge-base articles for the operator's search (written for the demo)
  "$bin" --db "$db" kb import data/demo/kb.tsv
  for u in "${users[@]}"; do
    read -r name role unit <<<"$u"
    opt=(); [ "$unit" != "-" ] && opt=(--unit "$unit")
    echo "demo-$name" | "$bin" --db "$db" user add "$name" --role "$role" "${opt[@]}" >/dev/null
  done
fi
web=()
[ -f web/dist/index.html ] && web=(--web web/dist)
cat <<MSG

演示数据库：$db（2024 年 5 月，种子通报的数据）
演示账号（口令 demo-用户名）：
MSG
for u in "${users[@]}"; do read -r name role unit <<<"$u"; printf '  %-12s %s %s\n' "$name" "$role" "${unit/-/}"; done
cat <<MSG
市长信箱（市民，无需登录）：http://$listen/mailbox
命令行：$bin --help（例如 $bin --db $db assess --channel hotline --month 2024-05）
API 文档：docs/openapi.yaml；停止服务：Ctrl-C

MSG
exec "$bin" --db "$db" serve --listen "$listen" "${web[@]}"
