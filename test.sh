#!/usr/bin/env bash
# Runs every test: unit tests, then the packaged agent in child JVMs on JDK 17 and 25.
# Extra arguments go to Maven (e.g. -Dvigil.jdk25=/path/to/jdk25).
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B verify "$@"
