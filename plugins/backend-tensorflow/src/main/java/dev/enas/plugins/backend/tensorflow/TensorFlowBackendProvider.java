package dev.enas.plugins.backend.tensorflow;

import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;

/** The {@code tensorflow} backend: TensorFlow Java in graph mode, on the CPU unless built with the GPU natives. */
public final class TensorFlowBackendProvider implements BackendProvider<TensorFlowBackendOptions> {
  static final String ID = "tensorflow";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public TensorFlowBackendOptions defaultOptions() {
    return TensorFlowBackendOptions.getDefaultInstance();
  }

  @Override
  public String summary() {
    return "TensorFlow Java 1.1.0 (graph mode): a small graph per child, shared weights by key, Nesterov SGD";
  }

  @Override
  public Backend create(TensorFlowBackendOptions options, long seed) {
    return new TensorFlowBackend(BackendSettings.from(options), seed);
  }

  /** The options' checks alone, exactly those {@link #create} runs first: no TensorFlow is loaded. */
  @Override
  public void validate(TensorFlowBackendOptions options) {
    BackendSettings.from(options);
  }
}
