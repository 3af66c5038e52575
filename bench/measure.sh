#!/bin/bash
# One sitting of issue #15 part 2: each setting with both engines, then the Python reference on the same child.
cd "$(dirname "$0")/.."
E=distribution/target/enas/bin/enas
A='1 2 0 2 0 2 0 2 2 1 0 1 2 4 0 0 4 0 3 2 1 4 1 0 2 1 2 3 3 4 0 4 3 1 2 1 2 4 4 2'
OA='num_cells: 2 channels: 20'
OB='num_cells: 1 channels: 12 image_height: 28 image_width: 28 image_channels: 1'
mkdir -p /tmp/meas  # the dumped children go here
$E arch show --space enas-micro --space-options "$OA" --ir-json "$A" > /tmp/meas/a.json
$E arch show --space enas-micro --space-options "$OB" --ir-json "$A" > /tmp/meas/b.json
date
for s in a b; do
  if [ $s = a ]; then O="$OA"; N=160; else O="$OB"; N=64; fi
  for B in tensorflow pytorch; do
    echo "=== $s $B"; $E bench backend --backend $B --space enas-micro --space-options "$O" --batch $N --steps 15 --warmup 3 --arch "$A" 2>&1 | grep -v -i numpy
  done
  echo "=== $s tensorflow per-child graphs"
  $E bench backend --space enas-micro --space-options "$O" --batch $N --steps 15 --warmup 3 --arch "$A" --backend-options 'execution: PER_CHILD' 2>&1 | grep -v -i numpy
  echo "=== $s python"; bench/.venv/bin/python bench/pytorch_eager.py /tmp/meas/$s.json --batch $N --steps 15 --warmup 3 $( [ $s = a ] && echo --peak )
done
date
