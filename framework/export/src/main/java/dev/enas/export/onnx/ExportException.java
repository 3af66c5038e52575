package dev.enas.export.onnx;

/**
 * A child that cannot be exported as asked: a graph of a shape the exporter does not know (inputs, outputs), an op it
 * has no ONNX lowering for (the message names the op and its node), weights that do not fit the graph.
 */
public final class ExportException extends RuntimeException {
  public ExportException(String message) {
    super(message);
  }
}
