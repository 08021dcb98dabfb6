#!/usr/bin/env bash
# Start-up cost of the agent on an empty main: wall and CPU time of a JVM that runs a main which
# returns at once, without and with the agent, in alternating rounds, on each JDK given. Prints
# each round and the medians. Build the agent first: mvn -B -q install -DskipTests
#
# Usage: scripts/startup-compare.sh [rounds] [java ...]   (default 10 rounds; java on the PATH)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AGENT=${VIGIL_AGENT:-$ROOT/agent/target/vigil-agent.jar}
[[ -f $AGENT ]] || { echo "missing $AGENT: build with mvn -B -q install -DskipTests" >&2; exit 2; }
ROUNDS=${1:-10}
shift || true
JAVAS=("$@")
[[ ${#JAVAS[@]} -gt 0 ]] || JAVAS=("$(command -v java)")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/classes"
cat > "$WORK/Empty.java" <<'EOF'
public class Empty {
    public static void main(String[] args) {
    }
}
EOF
javac --release 17 -d "$WORK/classes" "$WORK/Empty.java"

# Prints "wall user+sys" in milliseconds for one run of the command given.
run() {
  /usr/bin/time -o "$WORK/time" -f "%e %U %S" "$@" >/dev/null 2>&1
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$WORK/time"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

uptime
for java in "${JAVAS[@]}"; do
  "$java" -version 2>&1 | head -1
  : > "$WORK/plain"; : > "$WORK/agent"
  for ((i = 1; i <= ROUNDS; i++)); do
    p=$(run "$java" -cp "$WORK/classes" Empty)
    a=$(run "$java" -javaagent:"$AGENT"=report="$WORK/report",summary=false -cp "$WORK/classes" Empty)
    echo "round $i: without $p ms (wall cpu), with $a ms"
    echo "$p" >> "$WORK/plain"; echo "$a" >> "$WORK/agent"
  done
  pw=$(cut -d' ' -f1 "$WORK/plain" | median); pc=$(cut -d' ' -f2 "$WORK/plain" | median)
  aw=$(cut -d' ' -f1 "$WORK/agent" | median); ac=$(cut -d' ' -f2 "$WORK/agent" | median)
  echo "median wall: without $pw ms, with $aw ms (+$((aw - pw)) ms); cpu: without $pc ms, with $ac ms"
done
uptime
