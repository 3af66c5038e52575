"""Reads a TensorBoard log directory with TensorBoard's own EventAccumulator and prints what it holds, one value a
line, tab-separated: scalar TAG STEP VALUE | text TAG STEP TEXT | image TAG STEP WIDTHxHEIGHT BYTES.
Used by TensorBoardIT to check enas's event files against the real reader."""
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

acc = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0, "tensors": 0, "images": 0})
acc.Reload()
tags = acc.Tags()
for tag in sorted(tags["scalars"]):
    for s in acc.Scalars(tag):
        print("scalar\t%s\t%d\t%r" % (tag, s.step, s.value))
for tag in sorted(tags["tensors"]):
    plugin = acc.SummaryMetadata(tag).plugin_data.plugin_name
    for t in acc.Tensors(tag):
        text = b"".join(t.tensor_proto.string_val).decode("utf-8")
        print("%s\t%s\t%d\t%s" % (plugin, tag, t.step, text.replace("\n", "\\n")))
for tag in sorted(tags["images"]):
    for i in acc.Images(tag):
        print("image\t%s\t%d\t%dx%d\t%d" % (tag, i.step, i.width, i.height, len(i.encoded_image_string)))
