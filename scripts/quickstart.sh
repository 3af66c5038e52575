#!/usr/bin/env bash
# Builds the distribution (skipping tests) and runs the quickstart from it.
# Usage: bash scripts/quickstart.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/require-tools.sh
enas_require_jdk
enas_require_maven

echo "== building the distribution (mvn -DskipTests install) =="
mvn -B -ntp -q -DskipTests install
dist=distribution/target/enas

echo "== plugins found by the distribution =="
"$dist/bin/enas" plugins
