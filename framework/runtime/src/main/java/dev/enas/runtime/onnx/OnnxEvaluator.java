package dev.enas.runtime.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.enas.api.backend.Evaluation;
import dev.enas.api.dataset.Batch;
import dev.enas.export.onnx.OnnxExporter;
import dev.enas.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * An exported model ({@code enas export}) in ONNX Runtime, scored on the batches of a dataset as a backend scores a
 * trained child: mean softmax cross-entropy and accuracy of the logits, a language model's sequences run from a zero
 * state ({@code hidden}), as {@code enas evaluate} runs them.
 */
public final class OnnxEvaluator implements AutoCloseable {
  private final Path file;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final boolean languageModel;
  private final long[] inputDims;
  private final long hiddenWidth;

  /** Opens the model; a file that is not an enas-exported ONNX model is a {@link ConfigException}. */
  public OnnxEvaluator(Path file) throws IOException {
    this.file = file;
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(file + " does not exist; export a trained model first: enas export OUT_DIR --out "
          + file);
    }
    env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      session = env.createSession(file.toString(), options);
    } catch (OrtException e) {
      throw new ConfigException(file + " is not a model ONNX Runtime can load: " + e.getMessage(), e);
    }
    try {
      Map<String, NodeInfo> in = session.getInputInfo();
      languageModel = in.containsKey(OnnxExporter.TOKENS);
      String main = languageModel ? OnnxExporter.TOKENS : OnnxExporter.IMAGES;
      if (!in.containsKey(main) || !session.getOutputNames().contains(OnnxExporter.LOGITS)) {
        close();
        throw new ConfigException(file + " is not a model enas export wrote: its inputs are " + in.keySet()
            + " and outputs " + session.getOutputNames() + " (expected images or tokens in, logits out)");
      }
      inputDims = ((TensorInfo) in.get(main).getInfo()).getShape();
      hiddenWidth = in.containsKey(OnnxExporter.HIDDEN)
          ? ((TensorInfo) in.get(OnnxExporter.HIDDEN).getInfo()).getShape()[1] : 0;
    } catch (OrtException e) {
      close();
      throw new ConfigException(file + ": cannot read its inputs: " + e.getMessage(), e);
    }
  }

  /** What runs the model, for the report. */
  public String device() {
    return "ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion() + " on CPU";
  }

  /** The loss and accuracy of the model on one batch. */
  public Evaluation evaluate(Batch batch) {
    long start = System.nanoTime();
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      int[] labels;
      if (batch instanceof Batch.Images b) {
        if (languageModel) {
          throw new ConfigException(file + " is a language model (input tokens) but the dataset feeds images");
        }
        int[] d = b.shape().dims();
        long[] want = {inputDims[1], inputDims[2], inputDims[3]};
        if (!Arrays.equals(want, new long[] {d[0], d[1], d[2]})) {
          throw new ConfigException(file + " takes images " + Arrays.toString(want) + " but the dataset feeds "
              + b.shape() + "; evaluate it with the config it was trained with");
        }
        feed.put(OnnxExporter.IMAGES, OnnxTensor.createTensor(env, FloatBuffer.wrap(b.pixels()),
            new long[] {b.size(), d[0], d[1], d[2]}));
        labels = b.labels();
      } else {
        Batch.Tokens b = (Batch.Tokens) batch;
        if (!languageModel) {
          throw new ConfigException(file + " is an image classifier (input images) but the dataset feeds tokens");
        }
        if (inputDims[1] != b.steps()) {
          throw new ConfigException(file + " is unrolled over " + inputDims[1] + " steps but the dataset's batches "
              + "hold " + b.steps() + " tokens per sequence; export it again with --seq-len " + b.steps());
        }
        long[] ids = new long[b.inputs().length];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = b.inputs()[i];
        }
        feed.put(OnnxExporter.TOKENS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids),
            new long[] {b.size(), b.steps()}));
        if (hiddenWidth > 0) {
          // the state carried from the previous window of the stream, as enas evaluate carries it; else zeros
          float[] initial = b.state() != null ? b.state() : new float[(int) (b.size() * hiddenWidth)];
          if (initial.length != b.size() * hiddenWidth) {
            throw new IllegalArgumentException("the carried state has " + initial.length + " floats; " + file
                + " takes " + b.size() + " x " + hiddenWidth);
          }
          feed.put(OnnxExporter.HIDDEN, OnnxTensor.createTensor(env, FloatBuffer.wrap(initial),
              new long[] {b.size(), hiddenWidth}));
        }
        labels = b.targets();
      }
      float[] logits;
      float[] finalState = null;
      boolean carries = languageModel && hiddenWidth > 0;
      java.util.Set<String> fetch = carries ? java.util.Set.of(OnnxExporter.LOGITS, OnnxExporter.HIDDEN_OUT)
          : java.util.Set.of(OnnxExporter.LOGITS);
      try (OrtSession.Result r = session.run(feed, fetch)) {
        FloatBuffer buf = ((OnnxTensor) r.get(OnnxExporter.LOGITS).orElseThrow()).getFloatBuffer();
        logits = new float[buf.remaining()];
        buf.get(logits);
        if (carries) {
          FloatBuffer h = ((OnnxTensor) r.get(OnnxExporter.HIDDEN_OUT).orElseThrow()).getFloatBuffer();
          finalState = new float[h.remaining()];
          h.get(finalState);
        }
      }
      double[] lossAndHits = crossEntropy(logits, labels);
      return new Evaluation(lossAndHits[0] / labels.length, lossAndHits[1] / labels.length, batch.size(),
          (System.nanoTime() - start) / 1e6, finalState);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on " + file + ": " + e.getMessage(), e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * Summed softmax cross-entropy and hits of row-major logits {@code [rows, classes]} against one label per row (a
   * language model's logits {@code [batch, steps, vocabulary]} are rows in the targets' order).
   */
  static double[] crossEntropy(float[] logits, int[] labels) {
    int classes = logits.length / labels.length;
    double loss = 0;
    int hits = 0;
    for (int r = 0; r < labels.length; r++) {
      int at = r * classes;
      double max = Double.NEGATIVE_INFINITY;
      int best = 0;
      for (int c = 0; c < classes; c++) {
        if (logits[at + c] > max) {
          max = logits[at + c];
          best = c;
        }
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[at + c] - max);
      }
      loss += Math.log(sum) + max - logits[at + labels[r]];
      if (best == labels[r]) {
        hits++;
      }
    }
    return new double[] {loss, hits};
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the ONNX Runtime session of " + file + ": " + e.getMessage(), e);
    }
  }
}
