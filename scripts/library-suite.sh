#!/usr/bin/env bash
# A real library's own tests under the agent: the concurrency tests of Apache Commons Lang
# (org.apache.commons.lang3.concurrent: initializers on executors, circuit breakers, TimedSemaphore,
# BackgroundInitializer, Memoizer...) from its published test jar, run with the JUnit Platform
# console launcher, without and then with the agent. Prints both wall times, their ratio, both
# test summaries and the agent's findings. Jars come from Maven Central (mvn dependency:copy) into
# target/library-suite/lib, once.
#
# Usage: scripts/library-suite.sh [JDK_HOME]   (default $JAVA_HOME, else java on the PATH)
# Build the agent first: mvn -B -q install -DskipTests
set -euo pipefail

JDK=${1:-${JAVA_HOME:-}}
if [[ -n $JDK ]]; then JAVA=$JDK/bin/java; else JAVA=$(command -v java); fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AGENT=$ROOT/agent/target/vigil-agent.jar
[[ -f $AGENT ]] || { echo "missing $AGENT: build with mvn -B -q install -DskipTests" >&2; exit 2; }
WORK=$ROOT/target/library-suite
LIB=$WORK/lib
PACKAGE=org.apache.commons.lang3.concurrent
LANG=3.20.0
ARTIFACTS=(
  org.apache.commons:commons-lang3:$LANG
  org.apache.commons:commons-lang3:$LANG:jar:tests
  org.easymock:easymock:5.6.0
  org.objenesis:objenesis:3.4
  org.junit-pioneer:junit-pioneer:2.3.0
  org.apache.commons:commons-text:1.14.0
  org.junit.platform:junit-platform-console-standalone:1.14.4
)
mkdir -p "$LIB"
for a in "${ARTIFACTS[@]}"; do
  IFS=: read -r g id v type classifier <<<"$a"
  file=$LIB/$id-$v${classifier:+-$classifier}.jar
  [[ -f $file ]] || mvn -B -q dependency:copy -Dartifact="$a" -DoutputDirectory="$LIB" >/dev/null 2>&1 \
    || { echo "could not fetch $a" >&2; exit 2; }
done
CONSOLE=$LIB/junit-platform-console-standalone-1.14.4.jar
CP=$(find "$LIB" -name '*.jar' ! -name 'junit-platform-console-standalone-*' | sort | tr '\n' ':')
TIMEOUT=${SUITE_TIMEOUT:-300}

suite() { # suite NAME [jvm args...]: runs the package's tests, prints its wall time in ms on fd 3
  local name=$1; shift
  local t0; t0=$(date +%s%N)
  local rc=0
  timeout "$TIMEOUT" "$JAVA" "$@" -jar "$CONSOLE" execute --class-path "$CP" --select-package "$PACKAGE" \
    --disable-banner --details=summary --disable-ansi-colors >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [[ $rc == 124 ]] && { echo "FAIL: the suite ($name) did not finish within ${TIMEOUT}s" >&2; exit 1; }
  echo "$name: ${ms} ms, exit $rc; $(grep -E 'tests (successful|failed)' "$WORK/$name.out" | tr -s ' \n' ' ')"
  echo "$ms" >"$WORK/$name.ms"
}

"$JAVA" -version 2>&1 | head -1
echo "$PACKAGE tests of commons-lang3 $LANG; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$WORK/report"
suite plain
suite agent "-javaagent:$AGENT=report=$WORK/report"
echo "wall time ratio (with agent / without): $(python3 -c "print('%.2f' % ($(cat "$WORK/agent.ms") / $(cat "$WORK/plain.ms")))")"
echo "vigil summary:"
grep '^vigil: ' "$WORK/agent.err" | sed 's/^/  /' || echo "  (none printed)"
python3 - "$WORK/report/vigil-report.json" <<'EOF'
import collections, json, sys
r = json.load(open(sys.argv[1]))
fs = r.get("findings", [])
print("findings by kind:", dict(collections.Counter(f["kind"] for f in fs)) or "none",
      "; internal errors:", r["agent"].get("internalErrors"), "; self-test:", r["agent"].get("selfTest"))
for f in fs:
    print("  %s %s: %s" % (f["severity"], f["kind"], f["title"]))
EOF
