package dev.enas.plugins.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.backend.BackendUnavailableException;
import dev.enas.api.ir.Op;
import dev.enas.api.plugin.OptionException;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ProviderTest {
  private final PyTorchBackendProvider provider = new PyTorchBackendProvider();

  @Test
  void isFoundByTheServiceLoaderAndSupportsEveryOp() {
    boolean found = false;
    for (BackendProvider<?> p : ServiceLoader.load(BackendProvider.class)) {
      found |= p.id().equals("pytorch");
    }
    assertTrue(found);
    assertEquals(Op.kinds(), provider.supportedOps(provider.defaultOptions()));
    try (Backend b = provider.create(provider.defaultOptions(), 1)) {
      assertEquals(Op.kinds(), b.supportedOps());
      assertTrue(b.device().matches("CPU \\(\\d+ threads\\), PyTorch 2\\.7\\.1 via DJL 0\\.36\\.0; eager.*"), b.device());
    }
  }

  /** The TensorFlow backend's option text (the options both share) parses as this backend's options. */
  @Test
  void theTensorFlowOptionTextOfSharedOptionsParses() throws Exception {
    String text = "intra_op_threads: 2 inter_op_threads: 1 momentum: 0.5 nesterov: false weight_decay: 2.5e-4 "
        + "clip_mode: PER_TENSOR_NORM clip_bound: 0.25 bn_eval: BATCH_STATISTICS bn_decay: 0.99 bn_epsilon: 1e-3 "
        + "use_gpu: false";
    PyTorchBackendOptions o = TextFormat.parse(text, PyTorchBackendOptions.class);
    BackendSettings s = BackendSettings.from(o);
    assertEquals(0.5, s.optimizer().momentum());
    assertEquals(dev.enas.support.weights.OptimizerSettings.Clip.PER_TENSOR_NORM, s.optimizer().clip());
    assertEquals(PyTorchBackendOptions.BatchNormEval.BATCH_STATISTICS, s.bnEval());
    BackendSettings d = BackendSettings.from(PyTorchBackendOptions.getDefaultInstance());
    assertEquals(0.9, d.optimizer().momentum());
    assertTrue(d.optimizer().nesterov());
    assertEquals(1e-4, d.optimizer().weightDecay());
    assertEquals(dev.enas.support.weights.OptimizerSettings.Clip.GLOBAL_NORM, d.optimizer().clip());
    assertEquals(5.0, d.optimizer().clipBound());
    assertEquals(0.9, d.bnDecay());
    assertEquals(1e-5, d.bnEpsilon());
    assertTrue(d.useGpu());
  }

  @Test
  void badOptionsAreRefusedByValidateWithTheOptionsName() {
    OptionException e = assertThrows(OptionException.class,
        () -> provider.validate(PyTorchBackendOptions.newBuilder().setIntraOpThreads(Integer.MAX_VALUE).build()));
    assertEquals("intra_op_threads", e.option());
    assertEquals("intra_op_threads must be in [0, 1024] (0 = core count), got 2147483647", e.getMessage());
    assertEquals("momentum", assertThrows(OptionException.class,
        () -> provider.validate(PyTorchBackendOptions.newBuilder().setMomentum(1).build())).option());
    assertEquals("bn_epsilon", assertThrows(OptionException.class,
        () -> provider.validate(PyTorchBackendOptions.newBuilder().setBnEpsilon(0).build())).option());
    assertEquals("clip_bound", assertThrows(OptionException.class,
        () -> provider.create(PyTorchBackendOptions.newBuilder().setClipBound(-1).build(), 1)).option());
  }

  @Test
  void missingNativesAreABackendUnavailableExceptionThatSaysWhatToInstall() {
    BackendUnavailableException e = Torch.unavailable(new UnsatisfiedLinkError("no djl_torch in java.library.path"));
    assertTrue(e.getMessage().contains("ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64"), e.getMessage());
    assertTrue(e.getMessage().contains("djl-cache"), "names the cache dir: " + e.getMessage());
    assertTrue(e.getMessage().contains("no djl_torch"), e.getMessage());
  }
}
