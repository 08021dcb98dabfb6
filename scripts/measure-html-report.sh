#!/usr/bin/env bash
# Measures the HTML page of a 10,000-finding, 100,000-thread report in headless chromium and prints
# a table for docs/PERFORMANCE.md (also left in it/target/html-report-performance.md).
# Needs what ./test.sh needs (chromium and chromium-driver at /usr/bin). Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q verify -pl it -am -Dtest=HtmlReportMeasurement -Dsurefire.failIfNoSpecifiedTests=false "$@"
cat it/target/html-report-performance.md
