#!/bin/sh
# Lock hook cost by thread CPU time (see CpuTimeCompare): each benchmark in its own JVM, without
# and with the agent, one after the other. Usage: scripts/cpu-time-compare.sh [java] [rounds] [ops]
JAVA=${1:-java}
ROUNDS=${2:-15}
OPS=${3:-5000000}
JAR=benchmarks/target/vigil-benchmarks.jar
AGENT=agent/target/vigil-agent.jar
REPORT=$(mktemp -d)
"$JAVA" -version 2>&1 | head -1
uptime
for b in synchronizedDepth1 synchronizedDepth2 reentrantLockDepth1 reentrantLockDepth2 hashtableGet vectorGet \
         synchronizedMapGet stringBufferAppend hashtableGetUnderLock; do
  plain=$("$JAVA" -cp "$JAR" dev.vigil.benchmarks.CpuTimeCompare "$ROUNDS" "$OPS" "$b" | grep median)
  agent=$("$JAVA" -javaagent:"$AGENT"=report="$REPORT",summary=false -cp "$JAR" \
          dev.vigil.benchmarks.CpuTimeCompare "$ROUNDS" "$OPS" "$b" 2>/dev/null | grep median)
  p=$(echo "$plain" | awk '{print $3}')
  a=$(echo "$agent" | awk '{print $3}')
  echo "$b no-agent $p agent $a ratio $(echo "scale=2; $a / $p" | bc)"
done
uptime
