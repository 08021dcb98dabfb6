#!/usr/bin/env bash
# The workloads (workloads/README.md) with and without the agent, in alternating rounds: time and
# CPU to READY, throughput and latency under a bounded loopback load, peak RSS; then the agent's
# findings of each run and an empty-main start-up comparison. Measure on a quiet machine: the
# figures are only as good as the machine is idle (never while a build runs).
#
# Usage: scripts/workload-compare.sh [options] [JDK_HOME]
#   -r N        rounds per service and mode (default 2)
#   -d DUR      measured load per run (default 10s); -w DUR warm-up (default 3s); -c N clients (default 8)
#   -s LIST     services, comma-separated: spring,jetty (default both)
#   -m N        empty-main rounds per mode (default 5; 0 skips it)
#   -t SECONDS  longest wait for READY (default 180) and for an exit after SIGTERM (default 60: -T)
#   -o DIR      where runs are kept (default a new directory under /tmp)
#   JDK_HOME    the JDK to run on (default $JAVA_HOME, else java on the PATH), e.g. /usr/lib/jvm/temurin-25-jdk-amd64
# Build first: mvn -B -q install -DskipTests
set -euo pipefail

ROUNDS=2 DURATION=10s WARMUP=3s CLIENTS=8 SERVICES=spring,jetty MAIN_ROUNDS=5 READY_TIMEOUT=180 STOP_TIMEOUT=60 OUT=
while getopts "r:d:w:c:s:m:t:T:o:h" opt; do
  case $opt in
    r) ROUNDS=$OPTARG ;; d) DURATION=$OPTARG ;; w) WARMUP=$OPTARG ;; c) CLIENTS=$OPTARG ;;
    s) SERVICES=$OPTARG ;; m) MAIN_ROUNDS=$OPTARG ;; t) READY_TIMEOUT=$OPTARG ;; T) STOP_TIMEOUT=$OPTARG ;;
    o) OUT=$OPTARG ;; *) sed -n '2,17p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
JDK=${1:-${JAVA_HOME:-}}
if [[ -n $JDK ]]; then JAVA=$JDK/bin/java; else JAVA=$(command -v java); fi
[[ -x $JAVA ]] || { echo "no java at $JAVA" >&2; exit 2; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
AGENT=${VIGIL_AGENT:-$ROOT/agent/target/vigil-agent.jar}
LOADGEN=$ROOT/workloads/loadgen/target/vigil-loadgen.jar
declare -A JAR=([spring]=$ROOT/workloads/spring-service/target/vigil-spring-service.jar
                [jetty]=$ROOT/workloads/jetty-service/target/vigil-jetty-service.jar)
declare -A LOAD=([spring]='GET /items/{i}|POST /orders {"itemId":{i},"quantity":1}|GET /report'
                 [jetty]='GET /hello|GET /sum?n={i}000|POST /echo {"n":{i}}|GET /stats')
for f in "$AGENT" "$LOADGEN" "${JAR[spring]}" "${JAR[jetty]}"; do
  [[ -f $f ]] || { echo "missing $f: build with mvn -B -q install -DskipTests" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "python3 is needed for the tables" >&2; exit 2; }
OUT=${OUT:-$(mktemp -d /tmp/vigil-compare.XXXXXX)}
mkdir -p "$OUT"
TICK=$(getconf CLK_TCK)

# Every process started here is ended on exit, whatever the exit.
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do
    [[ -n $p ]] && kill -0 "$p" 2>/dev/null && { kill -TERM "$p" 2>/dev/null; sleep 1; kill -KILL "$p" 2>/dev/null || true; }
  done
  return 0
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }
cpu_ms() { # utime + stime of a live process, in ms (fields 14 and 15 of /proc/pid/stat)
  local rest; rest=$(sed 's/^.*) //' "/proc/$1/stat"); set -- $rest
  echo $(( (${12} + ${13}) * 1000 / TICK ))
}
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

# run SERVICE MODE ROUND: one start, load, SIGTERM; appends a line to results.tsv.
run() {
  local svc=$1 mode=$2 round=$3 dir=$OUT/$1-$2-$3 agent=()
  mkdir -p "$dir"
  [[ $mode == agent ]] && agent=("-javaagent:$AGENT=report=$dir/report")
  : >"$dir/stdout"  # exists before the child opens it: the READY poll reads it at once
  local t0; t0=$(now_ms)
  "$JAVA" "${agent[@]}" -jar "${JAR[$svc]}" >"$dir/stdout" 2>"$dir/stderr" </dev/null &
  local pid=$!
  PIDS+=("$pid")
  local port=
  while :; do
    port=$(sed -n 's/^READY port=\([0-9][0-9]*\)$/\1/p' "$dir/stdout" | head -1)
    [[ -n $port ]] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "FAIL: $svc ($mode) exited before READY; stderr:" >&2; tail -20 "$dir/stderr" >&2; exit 1
    fi
    if (( $(now_ms) - t0 > READY_TIMEOUT * 1000 )); then
      echo "FAIL: $svc ($mode) not READY within ${READY_TIMEOUT}s; stderr:" >&2; tail -20 "$dir/stderr" >&2; exit 1
    fi
    sleep 0.05
  done
  local ready=$(( $(now_ms) - t0 )) cpu; cpu=$(cpu_ms "$pid")
  local reqs=() r
  IFS='|' read -ra r <<<"${LOAD[$svc]}"
  for x in "${r[@]}"; do reqs+=(--request "$x"); done
  "$JAVA" -jar "$LOADGEN" --port "$port" --clients "$CLIENTS" --warmup "$WARMUP" --duration "$DURATION" "${reqs[@]}" \
    >"$dir/load.json" 2>"$dir/load.err" || { echo "FAIL: load on $svc ($mode):" >&2; cat "$dir/load.err" >&2; exit 1; }
  local hwm; hwm=$(hwm_kb "$pid")
  kill -TERM "$pid"
  local t1; t1=$(now_ms)
  while kill -0 "$pid" 2>/dev/null; do
    if (( $(now_ms) - t1 > STOP_TIMEOUT * 1000 )); then
      echo "FAIL: $svc ($mode) still running ${STOP_TIMEOUT}s after SIGTERM: killed" >&2; kill -KILL "$pid"; exit 1
    fi
    sleep 0.05
  done
  local rc=0; wait "$pid" || rc=$?
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$svc" "$mode" "$round" "$ready" "$cpu" "$hwm" "$rc" "$(cat "$dir/load.json")" \
    >>"$OUT/results.tsv"
  echo "$svc $mode round $round: ready ${ready} ms, cpu ${cpu} ms, VmHWM ${hwm} kB, exit $rc, $(cat "$dir/load.json")"
}

findings() { # the findings of a report: count by kind, then each title
  local json=$1
  [[ -f $json ]] || { echo "    (no report)"; return; }
  python3 - "$json" <<'EOF'
import collections, json, sys
r = json.load(open(sys.argv[1]))
fs = r.get("findings", [])
kinds = collections.Counter(f["kind"] for f in fs)
a = r.get("agent", {})
print("    trigger %s, %d findings%s; internal errors %s, self-test %s" % (
    r["run"].get("trigger"), len(fs), (": " + ", ".join("%s %d" % kv for kv in sorted(kinds.items()))) if fs else "",
    a.get("internalErrors"), a.get("selfTest")))
for f in fs:
    print("      %s %s: %s" % (f["severity"], f["kind"], f["title"]))
EOF
}

"$JAVA" -version 2>&1 | head -1
echo "runs in $OUT; load: $CLIENTS clients, warm-up $WARMUP, measured $DURATION; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$OUT/results.tsv"
IFS=',' read -ra SVCS <<<"$SERVICES"
for svc in "${SVCS[@]}"; do
  [[ -n ${JAR[$svc]:-} ]] || { echo "unknown service $svc (spring, jetty)" >&2; exit 2; }
  for ((round = 1; round <= ROUNDS; round++)); do
    if ((round % 2)); then run "$svc" plain "$round"; run "$svc" agent "$round"
    else run "$svc" agent "$round"; run "$svc" plain "$round"; fi
  done
done

if ((MAIN_ROUNDS > 0)); then
  for ((round = 1; round <= MAIN_ROUNDS; round++)); do
    for mode in plain agent; do
      agent=()
      [[ $mode == agent ]] && agent=("-javaagent:$AGENT=report=$OUT/empty-main-report,summary=false")
      t0=$(now_ms)
      "$JAVA" "${agent[@]}" -cp "$LOADGEN" dev.vigil.workloads.load.EmptyMain >/dev/null 2>&1 </dev/null
      printf 'empty-main\t%s\t%s\t%s\n' "$mode" "$round" $(( $(now_ms) - t0 )) >>"$OUT/main.tsv"
    done
  done
fi

echo
python3 - "$OUT" <<'EOF'
import json, os, statistics, sys
out = sys.argv[1]
rows = {}
for line in open(os.path.join(out, "results.tsv")):
    svc, mode, rnd, ready, cpu, hwm, rc, load = line.rstrip("\n").split("\t", 7)
    l = json.loads(load)
    rows.setdefault(svc, {}).setdefault(mode, []).append(
        {"ready ms": float(ready), "cpu-to-ready ms": float(cpu), "req/s": l["rps"], "p50 ms": l["p50ms"],
         "p99 ms": l["p99ms"], "errors": l["errors"], "VmHWM MB": float(hwm) / 1024})
print("medians over rounds; ratio = with agent / without")
print("%-8s %-16s %12s %12s %8s" % ("service", "metric", "without", "with agent", "ratio"))
for svc, modes in rows.items():
    for metric in modes["plain"][0]:
        p = statistics.median(r[metric] for r in modes["plain"])
        a = statistics.median(r[metric] for r in modes["agent"])
        print("%-8s %-16s %12.1f %12.1f %8s" % (svc, metric, p, a, "%.2f" % (a / p) if p else "-"))
main = os.path.join(out, "main.tsv")
if os.path.exists(main):
    ms = {}
    for line in open(main):
        _, mode, _, t = line.split("\t")
        ms.setdefault(mode, []).append(float(t))
    p, a = statistics.median(ms["plain"]), statistics.median(ms["agent"])
    print("%-8s %-16s %12.1f %12.1f %8.2f" % ("empty", "main ms", p, a, a / p))
EOF

echo
echo "findings of the agent runs (exit reports):"
for svc in "${SVCS[@]}"; do
  for ((round = 1; round <= ROUNDS; round++)); do
    echo "  $svc round $round:"
    findings "$OUT/$svc-agent-$round/report/vigil-report.json"
  done
done
