"""Checks an ONNX model enas export wrote with the reference tools: onnx.checker (full check, with strict shape
inference) and Python's ONNX Runtime on seeded inputs. Writes every input and output as raw little-endian data
(<name>.bin) with a manifest line "name dtype dim...", so the Java side can run the same inputs and compare.

usage: onnx_check.py MODEL.onnx OUT_DIR BATCH
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort


def main(model_path, out_dir, batch):
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    opset = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")][0]
    rng = np.random.default_rng(0)
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    vocabulary = None
    for o in session.get_outputs():
        if o.name == "logits":
            vocabulary = o.shape[-1]
    feed = {}
    for i in session.get_inputs():
        shape = [batch if not isinstance(d, int) else d for d in i.shape]
        if i.type == "tensor(int64)":
            feed[i.name] = rng.integers(0, vocabulary, size=shape, dtype=np.int64)
        else:
            feed[i.name] = rng.standard_normal(size=shape).astype(np.float32) * (0.1 if i.name == "hidden" else 1.0)
    outputs = session.run(None, feed)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "manifest.txt"), "w") as manifest:
        manifest.write("opset %d\n" % opset)
        for name, value in list(feed.items()) + [(o.name, v) for o, v in zip(session.get_outputs(), outputs)]:
            value = np.ascontiguousarray(value)
            value.astype(value.dtype.newbyteorder("<")).tofile(os.path.join(out_dir, name + ".bin"))
            manifest.write("%s %s %s\n" % (name, value.dtype.name, " ".join(str(d) for d in value.shape)))
    print("checked %s: opset %d, ONNX %s, ONNX Runtime %s" % (model_path, opset, onnx.__version__, ort.__version__))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
