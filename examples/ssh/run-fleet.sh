#!/usr/bin/env bash
# Starts one mdbench-client instance per host in hosts.txt over ssh (instance k on line k), waits for
# them, copies their logs back and merges them with mdbench-report.
#   ./run-fleet.sh SERVER:PORT [hosts.txt] [extra mdbench-client flags...]
# Each host needs Node 20 and the repository at ~/mdbench, built (npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 build).
set -euo pipefail
server=${1:?usage: run-fleet.sh SERVER:PORT [hosts.txt] [flags...]}
hosts_file=${2:-$(dirname "$0")/hosts.txt}
shift $(( $# >= 2 ? 2 : 1 ))
mapfile -t hosts < <(grep -v '^\s*#' "$hosts_file" | grep -v '^\s*$')
n=${#hosts[@]}
logs=$(mktemp -d mdbench-logs.XXXX)
echo "fleet: $n client instances against $server; logs in $logs"
pids=()
for k in $(seq 1 "$n"); do
  host=${hosts[$((k - 1))]}
  ssh -o BatchMode=yes "$host" \
    "cd ~/mdbench && node packages/client/bin/mdbench-client.js --server-addresses $server --instance $k --instances $n --json /tmp/mdbench-client-$k.jsonl $*" \
    > "$logs/client-$k.log" 2>&1 &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
for k in $(seq 1 "$n"); do
  scp -q "${hosts[$((k - 1))]}:/tmp/mdbench-client-$k.jsonl" "$logs/" || status=1
done
node "$(dirname "$0")/../../tools/report/bin/mdbench-report.js" "$logs/mdbench-client-*.jsonl" --html "$logs/report.html"
exit $status
