package dev.enas.plugins.backend.pytorch;

import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;

/** The {@code pytorch} backend: libtorch through the Deep Java Library, eager autograd, on the CPU by default. */
public final class PyTorchBackendProvider implements BackendProvider<PyTorchBackendOptions> {
  static final String ID = "pytorch";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public PyTorchBackendOptions defaultOptions() {
    return PyTorchBackendOptions.getDefaultInstance();
  }

  @Override
  public String summary() {
    return "PyTorch 2.7.1 via DJL 0.36.0 (eager autograd): no build per child, shared weights by key, Nesterov SGD";
  }

  @Override
  public Backend create(PyTorchBackendOptions options, long seed) {
    return new PyTorchBackend(BackendSettings.from(options), seed);
  }

  /** The options' checks alone, exactly those {@link #create} runs first: libtorch is not loaded. */
  @Override
  public void validate(PyTorchBackendOptions options) {
    BackendSettings.from(options);
  }
}
