"""Loads a SavedModel enas export wrote with Python TensorFlow and runs its serving signature on the inputs
onnx_check.py fed the same model exported to ONNX; compares the logits with ONNX Runtime's (image classifiers).

usage: savedmodel_check.py SAVEDMODEL_DIR ONNX_CHECK_OUT_DIR
"""
import os
import sys

import numpy as np
import tensorflow as tf


def read(out_dir, name):
    for line in open(os.path.join(out_dir, "manifest.txt")).read().splitlines()[1:]:
        fields = line.split(" ")
        if fields[0] == name:
            shape = [int(d) for d in fields[2:]]
            return np.fromfile(os.path.join(out_dir, name + ".bin"), dtype=np.dtype(fields[1]).newbyteorder("<")) \
                .reshape(shape)
    raise SystemExit("no %s in %s" % (name, out_dir))


def main(saved, out_dir):
    model = tf.saved_model.load(saved)
    serve = model.signatures["serving_default"]
    images = read(out_dir, "images")
    want = read(out_dir, "logits")
    got = serve(images=tf.constant(images, dtype=tf.float32))["logits"].numpy()
    if got.shape != want.shape:
        raise SystemExit("logits shape %s, ONNX Runtime's %s" % (got.shape, want.shape))
    worst = float(np.max(np.abs(got - want) / (1 + np.abs(want))))
    print("savedmodel %s: TensorFlow %s, logits %s, largest difference from ONNX Runtime %.3g (relative to 1 + |x|)"
          % (saved, tf.__version__, got.shape, worst))
    if worst > 1e-4:
        raise SystemExit("the SavedModel's logits differ from ONNX Runtime's by %.3g" % worst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
