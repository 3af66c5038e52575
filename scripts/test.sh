#!/usr/bin/env bash
# Runs every test: unit tests of each module (with the backend's memory soak tests, -Psoak), then the integration
# tests against the built distribution.
# Usage: bash scripts/test.sh [extra maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/require-tools.sh
enas_require_jdk
enas_require_maven
exec mvn -B -ntp -Psoak verify "$@"
