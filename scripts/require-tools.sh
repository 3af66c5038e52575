#!/usr/bin/env bash
# Checks for (and, as root on Debian, installs) what building enas needs: a JDK 17+ and Maven 3.8+.
# Sourced by the other scripts.

enas_die() {
  echo "enas: $*" >&2
  exit 2
}

enas_apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "enas: installing $* with apt-get" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    return 1
  fi
}

enas_require_jdk() {
  if ! command -v javac >/dev/null 2>&1; then
    enas_apt_install openjdk-17-jdk-headless \
      || enas_die "no JDK found. Install JDK 17 or newer (Debian: sudo apt-get install openjdk-17-jdk-headless) or put it on PATH."
  fi
  local v
  v=$(javac -version 2>&1 | awk '{print $2}')
  [ "${v%%.*}" -ge 17 ] 2>/dev/null || enas_die "javac $v found; enas needs JDK 17 or newer (set JAVA_HOME / PATH)."
}

enas_require_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    enas_apt_install maven || enas_die "no Maven found. Install Maven 3.8 or newer (Debian: sudo apt-get install maven)."
  fi
}
