package dev.enas.plugins.backend.pytorch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngineProvider;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;
import dev.enas.api.backend.BackendUnavailableException;

/**
 * Starts DJL's PyTorch engine once per class loader (libtorch is loaded once per process) and says where it computes.
 *
 * <p>Nothing is downloaded: {@code ai.djl.offline} is set before the engine loads, and libtorch comes from the natives
 * jar embedded in this plugin, which DJL extracts to its cache directory ({@code ENGINE_CACHE_DIR}, else
 * {@code DJL_CACHE_DIR}, else {@code ~/.djl.ai}). In OSGi, DJL finds its engine with a {@link java.util.ServiceLoader}
 * on the thread's context class loader and its natives as class-loader resources, so the engine starts with this
 * bundle's class loader as the context class loader, and the provider is registered by hand as well.
 */
final class Torch {
  /** The natives this build embeds; the GPU build (-Pgpu) embeds the CUDA ones instead. */
  static final String NATIVE_ARTIFACT = "ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64";
  static final String ENGINE = "PyTorch";

  private static Engine engine;

  private Torch() {}

  /**
   * The engine, started on first use with {@code interOpThreads} in libtorch's inter-op pool (a process-wide setting
   * that only the first start can make); a {@link BackendUnavailableException} that says what to install when libtorch
   * is missing or does not load.
   */
  static synchronized Engine engine(int interOpThreads) {
    if (engine != null) {
      return engine;
    }
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(interOpThreads));
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(Torch.class.getClassLoader());
    try {
      if (!Engine.hasEngine(ENGINE)) {
        Engine.registerEngine(new PtEngineProvider());
      }
      Engine e = Engine.getEngine(ENGINE);
      // Touch the natives now, so a library that loads but cannot run fails here rather than in the first step.
      JniUtils.getNumThreads();
      engine = e;
      return e;
    } catch (RuntimeException | LinkageError e) {
      throw unavailable(e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Sizes libtorch's intra-op pool; the pool is the process's, so the last backend created sets it for all. */
  static void intraOpThreads(int threads) {
    if (JniUtils.getNumThreads() != threads) {
      JniUtils.setNumThreads(threads);
    }
  }

  /** The device to compute on: the first GPU when asked for and present, else the CPU. */
  static Device device(Engine engine, boolean useGpu) {
    return useGpu && engine.getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
  }

  /** {@code CPU (2 threads), PyTorch 2.7.1 via DJL 0.36.0; eager, a new child costs no build}. */
  static String describe(Engine engine, Device device, int threads) {
    String where = device.isGpu() ? "GPU:" + device.getDeviceId() + " (CUDA, " + engine.getGpuCount() + " visible)"
        : "CPU (" + threads + " threads)";
    return where + ", PyTorch " + engine.getVersion() + " via DJL " + Engine.getDjlVersion()
        + "; eager, a new child costs no build";
  }

  static BackendUnavailableException unavailable(Throwable cause) {
    String cache;
    try {
      cache = Utils.getEngineCacheDir("pytorch").toString();
    } catch (RuntimeException e) {
      cache = "~/.djl.ai/pytorch";
    }
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName()
        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    for (Throwable c = cause.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      why += "; " + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
    return new BackendUnavailableException("the pytorch backend cannot load libtorch (" + why + "). It needs the "
        + "natives " + NATIVE_ARTIFACT + " (libtorch 2.7.1 for DJL 0.36.0): inside the plugin jar "
        + "(lib/pytorch-native.jar, as the distribution ships it) or already extracted in the DJL cache directory "
        + cache + " (set ENGINE_CACHE_DIR or DJL_CACHE_DIR to move it). Rebuild the plugin with "
        + "'mvn package -pl plugins/backend-pytorch -am' (Maven fetches the natives once), or use the tensorflow "
        + "backend; nothing is downloaded at run time (ai.djl.offline=true).", cause);
  }
}
