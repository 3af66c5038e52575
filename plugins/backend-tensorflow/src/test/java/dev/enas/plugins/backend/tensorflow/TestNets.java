package dev.enas.plugins.backend.tensorflow;

/** The shared tiny graphs and batches, and this backend's factories. */
final class TestNets extends dev.enas.support.backendtests.TestNets {
  private TestNets() {}

  static TensorFlowBackend backend(TensorFlowBackendOptions options, long seed) {
    return (TensorFlowBackend) new TensorFlowBackendProvider().create(options, seed);
  }

  static TensorFlowBackend backend(long seed) {
    return backend(TensorFlowBackendOptions.getDefaultInstance(), seed);
  }
}
