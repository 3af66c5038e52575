package dev.enas.plugins.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListMemoryBytes;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * Finds which device TensorFlow computes on, by listing the devices of a session made with the backend's own
 * configuration: a CPU-only build (or {@code use_gpu: false}) lists only the CPU.
 */
final class DeviceProbe {
  private DeviceProbe() {}

  /** {@code CPU (TensorFlow 2.18.0, intra-op 2 threads, inter-op 2 threads)}, or {@code GPU:0 <model> (80 GiB)}. */
  static String describe(BackendSettings s) {
    String version = TensorFlow.version();
    String cpu = "CPU (TensorFlow " + version + ", intra-op " + s.intraOpThreads() + " threads, inter-op "
        + s.interOpThreads() + " threads)";
    List<String> gpus;
    try {
      gpus = gpuMemory(s);
    } catch (RuntimeException e) {
      return cpu + "; device list unavailable: " + e.getMessage();
    }
    if (gpus.isEmpty()) {
      return cpu;
    }
    return "GPU:0 " + gpuModel() + " (" + gpus.get(0) + ", TensorFlow " + version + ")";
  }

  /** The memory of each GPU the session sees, e.g. {@code 79.1 GiB}. */
  private static List<String> gpuMemory(BackendSettings s) {
    TF_Status status = TF_NewStatus();
    TF_Graph graph = TF_NewGraph();
    TF_SessionOptions options = TF_NewSessionOptions();
    TF_Session session = null;
    TF_DeviceList list = null;
    try (BytePointer config = new BytePointer(SessionConfig.of(s).toByteArray())) {
      TF_SetConfig(options, config, config.limit(), status);
      check(status);
      session = TF_NewSession(graph, options, status);
      check(status);
      list = TF_SessionListDevices(session, status);
      check(status);
      List<String> gpus = new ArrayList<>();
      for (int i = 0; i < TF_DeviceListCount(list); i++) {
        String type = TF_DeviceListType(list, i, status).getString();
        if (type.equalsIgnoreCase("GPU")) {
          long bytes = TF_DeviceListMemoryBytes(list, i, status);
          gpus.add(String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30)));
        }
      }
      return gpus;
    } finally {
      if (list != null) {
        TF_DeleteDeviceList(list);
      }
      if (session != null) {
        TF_CloseSession(session, status);
        TF_DeleteSession(session, status);
      }
      TF_DeleteSessionOptions(options);
      TF_DeleteGraph(graph);
      TF_DeleteStatus(status);
    }
  }

  private static void check(TF_Status status) {
    if (TF_GetCode(status) != 0) {
      throw new IllegalStateException(TF_Message(status).getString());
    }
  }

  /** The NVIDIA driver's model name of the first GPU, or "NVIDIA GPU" when the driver does not say. */
  private static String gpuModel() {
    Path root = Path.of("/proc/driver/nvidia/gpus");
    if (!Files.isDirectory(root)) {
      return "NVIDIA GPU";
    }
    try (Stream<Path> gpus = Files.list(root).sorted()) {
      for (Path gpu : (Iterable<Path>) gpus::iterator) {
        for (String line : Files.readAllLines(gpu.resolve("information"), StandardCharsets.UTF_8)) {
          if (line.startsWith("Model:")) {
            return line.substring("Model:".length()).trim();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return "NVIDIA GPU";
    }
    return "NVIDIA GPU";
  }
}
