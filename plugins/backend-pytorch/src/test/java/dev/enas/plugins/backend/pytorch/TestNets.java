package dev.enas.plugins.backend.pytorch;

/** The shared tiny graphs and batches, and this backend's factories. */
final class TestNets extends dev.enas.support.backendtests.TestNets {
  private TestNets() {}

  static PyTorchBackend backend(PyTorchBackendOptions options, long seed) {
    return (PyTorchBackend) new PyTorchBackendProvider().create(options, seed);
  }

  /** Plain SGD: momentum 0, no weight decay, no clipping, so a step with learning rate 1 moves w by -g. */
  static PyTorchBackendOptions plainSgd() {
    return PyTorchBackendOptions.newBuilder().setMomentum(0).setWeightDecay(0)
        .setClipMode(PyTorchBackendOptions.ClipMode.NO_CLIPPING).build();
  }

  static PyTorchBackend backend(long seed) {
    return backend(PyTorchBackendOptions.getDefaultInstance(), seed);
  }
}
