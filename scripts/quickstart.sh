#!/usr/bin/env bash
# Sets up, builds the distribution and runs the quickstart: a short ENAS search (micro space, REINFORCE
# controller, TensorFlow backend) on real Fashion-MNIST, then derives and prints the best architecture.
# Usage: bash scripts/quickstart.sh [config]   (default: distribution/target/enas/conf/micro-fashion-mnist.pbtxt)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/require-tools.sh
enas_require_jdk
enas_require_maven

data=/usr/share/datasets/fashion-mnist
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  enas_apt_install dataset-fashion-mnist || enas_die "Fashion-MNIST is missing from $data. Install it with
  sudo apt-get install dataset-fashion-mnist
or point the fashion-mnist dataset's 'path' option at a directory holding the four IDX files."
fi

echo "== building the distribution (mvn -DskipTests install) =="
mvn -B -ntp -q -DskipTests install
dist=$(pwd)/distribution/target/enas
config=${1:-$dist/conf/micro-fashion-mnist.pbtxt}
run=runs/quickstart

"$dist/bin/enas" plugins
if [ -f "$run/config.pbtxt" ] && [ ! -f "$run/final.pbtxt" ]; then
  echo "== resuming the unfinished quickstart in $run =="
  "$dist/bin/enas" resume "$run"
elif [ ! -f "$run/final.pbtxt" ]; then
  echo "== searching: $config -> $run =="
  "$dist/bin/enas" search "$config" --run-dir "$run"
fi
echo "== deriving the best architecture =="
"$dist/bin/enas" derive "$run"
"$dist/bin/enas" report "$run" >/dev/null
echo
echo "Derived architecture: $(cat "$run/derived/arch.txt")"
echo "Diagram: $run/derived/arch.dot; plots: $run/report/*.png"
echo "Train it from scratch:  $dist/bin/enas train $config --arch @$run/derived/arch.txt"
