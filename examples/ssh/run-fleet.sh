#!/usr/bin/env bash
# Starts one mdbench-client instance per host in hosts.txt over ssh (instance k on line k), waits for
# them, copies their logs back and merges them with mdbench-report.
#   ./run-fleet.sh SERVER:PORT [hosts.txt] [extra flags for every instance...]
# A line of hosts.txt is `user@host [flags for that host's instances]` (its own --local-addresses...).
# Each host needs Node 20 and the repository at ~/mdbench, built (npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 build).
# Environment:
#   MDBENCH_TOOL=publisher   run mdbench-publisher instances instead (their logs are merged the same way)
#   MDBENCH_PER_HOST=N       instances per host (default 1): N hosts x N per host instances in all
#   MDBENCH_DIR=PATH         the repository on the hosts (default ~/mdbench)
#   MDBENCH_SSH_CONFIG=FILE  ssh -F FILE (keys, users, options of your hosts)
#   MDBENCH_LOGS=DIR         where the logs are brought back (default: a new ./mdbench-logs.XXXX)
set -euo pipefail
server=${1:?usage: run-fleet.sh SERVER:PORT [hosts.txt] [flags...]}
hosts_file=${2:-$(dirname "$0")/hosts.txt}
shift $(( $# >= 2 ? 2 : 1 ))
tool=${MDBENCH_TOOL:-client}
per_host=${MDBENCH_PER_HOST:-1}
repo=${MDBENCH_DIR:-'~/mdbench'}
ssh_opts=()
[ -n "${MDBENCH_SSH_CONFIG:-}" ] && ssh_opts=(-F "$MDBENCH_SSH_CONFIG")
# Every instance's flags, quoted for the host's shell (a subject pattern's braces must reach the tool).
flags=$(printf ' %q' "$@")
mapfile -t lines < <(grep -v '^\s*#' "$hosts_file" | grep -v '^\s*$')
n=$(( ${#lines[@]} * per_host ))
logs=${MDBENCH_LOGS:-$(mktemp -d mdbench-logs.XXXX)}
mkdir -p "$logs"
echo "fleet: $n $tool instances against $server; logs in $logs"
pids=()
hosts=()
k=0
for line in "${lines[@]}"; do
  read -r host host_flags <<< "$line"
  for _ in $(seq 1 "$per_host"); do
    k=$((k + 1))
    hosts+=("$host")
    # shellcheck disable=SC2029 # the command line is built here on purpose: it runs on the host
    ssh -n "${ssh_opts[@]}" "$host" \
      "cd $repo && exec node packages/$tool/bin/mdbench-$tool.js --server-addresses $server --instance $k --instances $n --json /tmp/mdbench-$tool-$k.jsonl ${host_flags:-}$flags" \
      > "$logs/$tool-$k.log" 2>&1 &
    pids+=($!)
  done
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
for k in $(seq 1 "$n"); do
  scp -q "${ssh_opts[@]}" "${hosts[$((k - 1))]}:/tmp/mdbench-$tool-$k.jsonl" "$logs/" || status=1
done
if [ "$tool" = client ]; then
  node "$(dirname "$0")/../../tools/report/bin/mdbench-report.js" "$logs/mdbench-$tool-*.jsonl" --html "$logs/report.html" || status=1
else
  # A report is of subscribers: give it these logs with the clients' (reconciled: published against received).
  echo "fleet: $n $tool logs in $logs: mdbench-report CLIENT-LOGS $logs/mdbench-$tool-*.jsonl"
fi
exit $status
