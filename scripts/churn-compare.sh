#!/usr/bin/env bash
# Churn (issue 15 part 7): each ChurnWorkload mode without and with the agent, in alternating
# rounds, one JVM each: the workload's own wall time, the JVM's wall time and peak RSS
# (/usr/bin/time). Measure on a quiet machine (never while a build runs).
# Usage: scripts/churn-compare.sh [java] [rounds] [modes]   e.g. scripts/churn-compare.sh java 3 locks,threads
# Build first: mvn -B -q install -DskipTests; VIGIL_AGENT=path/to/vigil-agent.jar compares another build
set -euo pipefail
JAVA=${1:-java}
ROUNDS=${2:-3}
MODES=${3:-locks,semaphores,threads,virtualThreads}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/benchmarks/target/vigil-benchmarks.jar
AGENT=${VIGIL_AGENT:-$ROOT/agent/target/vigil-agent.jar}
declare -A N=([locks]=2000000 [semaphores]=200000 [threads]=200000 [virtualThreads]=100000)
"$JAVA" -version 2>&1 | head -1
uptime
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for mode in ${MODES//,/ }; do
  if [[ $mode == virtualThreads ]] && "$JAVA" -version 2>&1 | grep -q '"17'; then continue; fi
  declare -a pw=() aw=() pr=() ar=()
  for ((i = 0; i < ROUNDS; i++)); do
    for with in no yes; do
      report=$(mktemp -d)
      if [[ $with == yes ]]; then agent=(-javaagent:"$AGENT"=report="$report",summary=false); else agent=(); fi
      out=$( { /usr/bin/time -f "TIME %e %M" "$JAVA" "${agent[@]}" -Xmx1g -cp "$JAR" \
               dev.vigil.benchmarks.ChurnWorkload "$mode" "${N[$mode]}"; } 2>&1 )
      ms=$(echo "$out" | sed -n 's/.*: \([0-9]*\) ms.*/\1/p')
      rss=$(echo "$out" | awk '/^TIME/ {print int($3 / 1024)}')
      if [[ $with == yes ]]; then aw+=("$ms"); ar+=("$rss"); else pw+=("$ms"); pr+=("$rss"); fi
      rm -rf "$report"
    done
  done
  p=$(printf '%s\n' "${pw[@]}" | median); a=$(printf '%s\n' "${aw[@]}" | median)
  prss=$(printf '%s\n' "${pr[@]}" | median); arss=$(printf '%s\n' "${ar[@]}" | median)
  echo "$mode n=${N[$mode]}: no-agent ${p} ms, agent ${a} ms, ratio $(echo "scale=2; $a / $p" | bc); peak RSS ${prss} -> ${arss} MB"
done
uptime
