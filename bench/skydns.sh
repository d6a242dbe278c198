#!/usr/bin/env bash
# bench/skydns.sh: dnsperf against skydns and dnsmasq serving the same names, at fixed rates.
# Not part of the test suite. Everything listens on 127.0.0.1; nothing leaves loopback.
#
#   bench/skydns.sh                      # 20k and 50k queries/s, 10 s each, both servers
#   RATES="20000" DURATION=5 bench/skydns.sh
#   BASELINE=../other-checkout bench/skydns.sh   # also an older skydns, from another checkout (its pnpm install done)
#
# Prints a table and writes it to bench/results/skydns-<date>.md. Needs etcd, etcdctl, dnsmasq, dnsperf, dig
# (`./kube-dns setup` installs them). Server CPU is utime+stime from /proc/<pid>/stat around each run.
set -euo pipefail
cd "$(dirname "$0")/.."

RATES="${RATES:-20000 50000}"
DURATION="${DURATION:-10}"
SERVICES="${SERVICES:-100}"
SCRATCH="$(mktemp -d /tmp/skydns-bench.XXXXXX)"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# wait_for CMD...: runs CMD every 0.1 s until it succeeds, for at most 15 s.
wait_for() {
  for _ in $(seq 1 150); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "gave up waiting for: $*" >&2
  return 1
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

ETCD_PORT="$(free_port)"; PEER_PORT="$(free_port)"; SKY_PORT="$(free_port)"; METRICS_PORT="$(free_port)"; MASQ_PORT="$(free_port)"
BASE_PORT="$(free_port)"; BASE_METRICS_PORT="$(free_port)"
ETCD_URL="http://127.0.0.1:$ETCD_PORT"

echo "starting etcd on $ETCD_URL" >&2
etcd --name bench --data-dir "$SCRATCH/etcd" --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
  --listen-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
  --initial-cluster "bench=http://127.0.0.1:$PEER_PORT" >"$SCRATCH/etcd.log" 2>&1 &
PIDS+=($!)
wait_for etcdctl --endpoints "$ETCD_URL" endpoint health

# The same names in both servers: web.default and svc-0..svc-99.default -> 10.0.1.N; other names under
# cluster.local are NXDOMAIN in both (dnsmasq: --local=/cluster.local/).
MASQ_ARGS=(--keep-in-foreground "--port=$MASQ_PORT" --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts
  --user=root --pid-file= --local-ttl=30 --local=/cluster.local/ --address=/web.default.svc.cluster.local/10.0.1.254)
put() { etcdctl --endpoints "$ETCD_URL" put "$1" "{\"host\":\"$2\",\"priority\":10,\"weight\":10,\"ttl\":30,\"targetstrip\":0}" >/dev/null; }
put /skydns/local/cluster/svc/default/web/1 10.0.1.254
for i in $(seq 0 $((SERVICES - 1))); do
  put "/skydns/local/cluster/svc/default/svc-$i/1" "10.0.1.$((i + 1))"
  MASQ_ARGS+=("--address=/svc-$i.default.svc.cluster.local/10.0.1.$((i + 1))")
done

# Both skydns run as they ship (the images run dist/main.js): built, not through tsx, whose helpers cost CPU too.
build_skydns() { (cd "$1" && pnpm -r --silent --filter '@kube-dns/skydns...' build) >&2; }
echo "building skydns (and what it imports)" >&2
build_skydns .
[ -z "${BASELINE:-}" ] || build_skydns "$BASELINE"
echo "starting skydns on 127.0.0.1:$SKY_PORT and dnsmasq on 127.0.0.1:$MASQ_PORT" >&2
node packages/skydns/dist/main.js --addr "127.0.0.1:$SKY_PORT" --machines "$ETCD_URL" \
  --no-rec --metrics-addr "127.0.0.1:$METRICS_PORT" --log-level warn >"$SCRATCH/skydns.log" 2>&1 &
SKY_PID=$!
PIDS+=($SKY_PID)
dnsmasq "${MASQ_ARGS[@]}" >"$SCRATCH/dnsmasq.log" 2>&1 &
MASQ_PID=$!
PIDS+=($MASQ_PID)
SERVERS="skydns dnsmasq"
PORTS="$SKY_PORT $MASQ_PORT"
if [ -n "${BASELINE:-}" ]; then
  echo "starting the baseline skydns from $BASELINE on 127.0.0.1:$BASE_PORT" >&2
  (cd "$BASELINE" && exec node packages/skydns/dist/main.js --addr "127.0.0.1:$BASE_PORT" --machines "$ETCD_URL" \
    --no-rec --metrics-addr "127.0.0.1:$BASE_METRICS_PORT" --log-level warn) >"$SCRATCH/baseline.log" 2>&1 &
  BASE_PID=$!
  PIDS+=($BASE_PID)
  wait_for curl -fsS "http://127.0.0.1:$BASE_METRICS_PORT/ready"
  SERVERS="skydns baseline dnsmasq"
  PORTS="$PORTS $BASE_PORT"
fi
wait_for curl -fsS "http://127.0.0.1:$METRICS_PORT/ready"
for port in $PORTS; do
  answer="$(dig @127.0.0.1 -p "$port" +short +tries=1 +time=1 svc-7.default.svc.cluster.local A)"
  [ "$answer" = "10.0.1.8" ] || { echo "server on port $port answered '$answer' for svc-7" >&2; exit 1; }
done

# Mixed query file: 90 % existing names, 10 % NXDOMAIN, every letter in random case.
awk -v n=20000 -v services="$SERVICES" 'BEGIN { srand(42);
  for (i = 0; i < n; i++) {
    name = (rand() < 0.9 ? "svc-" int(rand() * services) : "nx-" int(rand() * 1000)) ".default.svc.cluster.local";
    out = ""; for (j = 1; j <= length(name); j++) { c = substr(name, j, 1); out = out (rand() < 0.5 ? toupper(c) : c) }
    print out " A" } }' >"$SCRATCH/queries.txt"

run() { # run SERVER PID PORT RATE SECONDS -> one table row on stdout
  local before after out
  before="$(cpu_ticks "$2")"
  out="$(timeout $(($5 + 30)) dnsperf -s 127.0.0.1 -p "$3" -d "$SCRATCH/queries.txt" -l "$5" -c 4 -T 1 -Q "$4" 2>&1)"
  after="$(cpu_ticks "$2")"
  awk -v server="$1" -v rate="$4" -v ticks="$((after - before))" -v seconds="$5" '
    /Queries completed:/ { done = $3 } /Queries lost:/ { lost = $3 } /Average Latency/ { lat = $4 * 1000 }
    END { printf "| %s | %d | %.0f | %d | %.3f | %d | %.1f | %.1f |\n", server, rate, done / seconds, lost, lat, ticks, ticks * 10000 / (done > 0 ? done : 1), ticks / seconds }' <<<"$out"
}

# run_server SERVER RATE SECONDS: one run against the named server.
run_server() {
  case "$1" in
    skydns) run skydns "$SKY_PID" "$SKY_PORT" "$2" "$3" ;;
    baseline) run baseline "$BASE_PID" "$BASE_PORT" "$2" "$3" ;;
    dnsmasq) run dnsmasq "$MASQ_PID" "$MASQ_PORT" "$2" "$3" ;;
  esac
}

echo "warming up (3 s each)" >&2
for server in $SERVERS; do run_server "$server" 30000 3 >/dev/null; done

ROWS=""
for rate in $RATES; do
  for server in $SERVERS; do
    row="$(run_server "$server" "$rate" "$DURATION")"
    echo "$row" >&2
    ROWS+="$row"$'\n'
  done
done

PREPARED="$(curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" | awk '/^kubedns_skydns_prepared_(hits|misses)_total/ { printf "%s=%s ", $1, $2 }')"
DATE="$(date -u +%Y-%m-%d)"
RESULT="bench/results/skydns-$DATE.md"
{
  echo "# skydns vs dnsmasq, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(uname -r), node $(node --version), $(dnsmasq --version | head -1 | cut -d' ' -f1-3)."
  echo "Load: dnsperf -c 4 -T 1 -Q RATE -l $DURATION, 20,000-line mixed file ($SERVICES services, 10 % NXDOMAIN, random letter case), UDP without EDNS."
  echo "dnsperf shares the cores with the servers. CPU = utime+stime of the server process (10 ms ticks) over the run."
  echo
  echo "| server | target QPS | achieved QPS | lost | avg latency ms | CPU ticks | CPU µs/query | CPU % of a core |"
  echo "|---|---|---|---|---|---|---|---|"
  printf "%s" "$ROWS"
  echo
  echo "| target QPS | skydns / dnsmasq CPU per query | baseline / dnsmasq (when run) | target ratio |"
  echo "|---|---|---|---|"
  # Column 8 is CPU us/query; pair each rate's skydns (and baseline) row with its dnsmasq row.
  printf "%s" "$ROWS" | awk -F'|' '
    { gsub(/ /, "", $2); gsub(/ /, "", $3); cpu[$2 "/" $3] = $8 + 0; rates[$3] = 1 }
    END { for (r in rates) if (cpu["dnsmasq/" r] > 0) printf "| %s | %.2fx | %s | %s |\n", r, cpu["skydns/" r] / cpu["dnsmasq/" r],
      (cpu["baseline/" r] > 0 ? sprintf("%.2fx", cpu["baseline/" r] / cpu["dnsmasq/" r]) : "-"), (r + 0 <= 20000 ? "<= 1.5x" : "<= 1.3x") }' | sort -t'|' -k2 -n
  echo
  echo "skydns prepared replies after the runs: $PREPARED"
  [ -z "${BASELINE:-}" ] || echo "baseline: skydns from $BASELINE ($(git -C "$BASELINE" log -1 --format='%h %s' 2>/dev/null || echo 'not a git checkout'))"
} >"$RESULT"
cat "$RESULT"
echo "written to $RESULT" >&2
