package dev.enas.runtime.testplugins;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.backend.Evaluation;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamSpec;
import dev.enas.proto.NamedTensor;
import dev.enas.proto.TensorStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A pure-Java stand-in backend for host tests: one scalar weight per parameter key, "trained" toward a
 * batch-dependent target, so losses depend on the weights, the child and the batch. It can be told to
 * crash after a number of steps, like a killed process.
 */
public final class ToyBackendProvider implements BackendProvider<Empty> {
  /** Steps after which {@code train} throws, or -1; a test hook standing in for kill -9. */
  public static volatile int crashAfterSteps = -1;
  /** What {@code prepareAhead} answers; a test hook. */
  public static volatile int prepareAhead = 0;
  /** "prepare N", "train N", "prepare-eval N" and "evaluate N" per call, N the child's identity hash; a hook. */
  public static final java.util.List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  @Override
  public String id() {
    return "toy-backend";
  }

  @Override
  public Empty defaultOptions() {
    return Empty.getDefaultInstance();
  }

  @Override
  public Backend create(Empty options, long seed) {
    return backend(seed, id());
  }

  /** The toy backend, writing {@code writer} as its id into what it saves; other test backends share it. */
  public static Backend backend(long seed, String writer) {
    return new Backend() {
      final Map<String, Double> weights = new TreeMap<>();
      int steps;

      double weight(String key) {
        return weights.computeIfAbsent(key, k -> new SplittableRandom(seed ^ k.hashCode()).nextDouble());
      }

      double loss(Graph child, Batch batch) {
        Batch.Images b = (Batch.Images) batch;
        double target = 0;
        for (float p : b.pixels()) {
          target += p;
        }
        target /= b.pixels().length;
        double sum = 0;
        int n = 0;
        for (ParamSpec p : child.params()) {
          double d = weight(p.key().value()) - target;
          sum += d * d;
          n++;
        }
        return sum / Math.max(1, n);
      }

      public String device() {
        return "toy";
      }

      public Set<Class<? extends Op>> supportedOps() {
        return Set.of();
      }

      public int prepareAhead() {
        return prepareAhead;
      }

      public void prepare(Graph child, Batch like, Use use) {
        calls.add((use == Use.TRAINING ? "prepare " : "prepare-eval ") + System.identityHashCode(child));
      }

      public TrainResult train(Graph child, Batch batch, double learningRate) {
        calls.add("train " + System.identityHashCode(child));
        if (crashAfterSteps >= 0 && steps >= crashAfterSteps) {
          throw new IllegalStateException("simulated crash");
        }
        steps++;
        double l = loss(child, batch);
        Batch.Images b = (Batch.Images) batch;
        double target = 0;
        for (float p : b.pixels()) {
          target += p;
        }
        target /= b.pixels().length;
        for (ParamSpec p : child.params()) {
          String k = p.key().value();
          weights.put(k, weight(k) - learningRate * 2 * (weight(k) - target));
        }
        return new TrainResult(l, 1 / (1 + l));
      }

      public Evaluation evaluate(Graph child, Batch batch) {
        calls.add("evaluate " + System.identityHashCode(child));
        double l = loss(child, batch);
        return new Evaluation(l, 1 / (1 + l), batch.size(), 1);
      }

      public void save(Path file, String spaceId) throws IOException {
        TensorStore.Builder s = TensorStore.newBuilder().setFormatVersion(1).setSpace(spaceId).setBackend(writer);
        for (Map.Entry<String, Double> e : weights.entrySet()) {
          ByteBuffer bb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(e.getValue());
          s.addTensors(NamedTensor.newBuilder().setKey(e.getKey()).setData(ByteString.copyFrom(bb.array())));
        }
        Files.write(file, s.build().toByteArray());
      }

      public void load(Path file, String spaceId) throws IOException {
        TensorStore s = TensorStore.parseFrom(Files.readAllBytes(file));
        if (!s.getSpace().equals(spaceId)) {
          throw new IOException("weights of space " + s.getSpace() + ", not " + spaceId);
        }
        weights.clear();
        for (NamedTensor t : s.getTensorsList()) {
          weights.put(t.getKey(), t.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getDouble());
        }
      }

      public void close() {}
    };
  }
}
