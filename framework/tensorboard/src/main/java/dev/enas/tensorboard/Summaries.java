package dev.enas.tensorboard;

import com.google.protobuf.ByteString;
import dev.enas.proto.tensorboard.DataType;
import dev.enas.proto.tensorboard.Summary;
import dev.enas.proto.tensorboard.SummaryMetadata;
import dev.enas.proto.tensorboard.TensorProto;
import dev.enas.proto.tensorboard.TensorShapeProto;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Summary values in the shapes TensorBoard's scalar, text and image dashboards read. */
public final class Summaries {
  /** The plugin that TensorBoard's text dashboard claims string tensors by. */
  public static final String TEXT_PLUGIN = "text";
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private Summaries() {}

  /** A scalar, as the legacy {@code simple_value} (a float) that every TensorBoard version plots. */
  public static Summary.Value scalar(String tag, double value) {
    return Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value).build();
  }

  /** Text (markdown) for the text dashboard: a scalar DT_STRING tensor claimed by the text plugin. */
  public static Summary.Value text(String tag, String text) {
    TensorProto t = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
        .setTensorShape(TensorShapeProto.getDefaultInstance())
        .addStringVal(ByteString.copyFrom(text, StandardCharsets.UTF_8)).build();
    return Summary.Value.newBuilder().setTag(tag)
        .setMetadata(SummaryMetadata.newBuilder().setPluginData(
            SummaryMetadata.PluginData.newBuilder().setPluginName(TEXT_PLUGIN)))
        .setTensor(t).build();
  }

  /** A PNG image for the images dashboard; its size and colour type are read from the PNG's header. */
  public static Summary.Value image(String tag, byte[] png) {
    if (png.length < 26 || !ByteBuffer.wrap(png, 0, 8).equals(ByteBuffer.wrap(PNG_SIGNATURE))
        || !new String(png, 12, 4, StandardCharsets.US_ASCII).equals("IHDR")) {
      throw new IllegalArgumentException("image '" + tag + "' is not a PNG (" + png.length + " bytes without a PNG "
          + "signature and IHDR header)");
    }
    ByteBuffer b = ByteBuffer.wrap(png);
    int width = b.getInt(16);
    int height = b.getInt(20);
    int colorType = png[25];
    // PNG colour types 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA; TensorFlow's 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA
    int colorspace = switch (colorType) {
      case 0 -> 1;
      case 4 -> 2;
      case 6 -> 4;
      default -> 3;
    };
    return Summary.Value.newBuilder().setTag(tag).setImage(Summary.Image.newBuilder().setWidth(width)
        .setHeight(height).setColorspace(colorspace).setEncodedImageString(ByteString.copyFrom(png))).build();
  }
}
