package dev.enas.plugins.backend.tensorflow;

import static dev.enas.plugins.backend.tensorflow.TestNets.backend;
import static dev.enas.plugins.backend.tensorflow.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import dev.enas.proto.TensorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.enas.api.backend.Backend;
import dev.enas.support.backendtests.SaveLoadChecks;
import dev.enas.support.weights.SharedWeights;

/** What every backend's save and load must do (SaveLoadChecks). */
class SaveLoadTest extends SaveLoadChecks {
  @Override
  protected Backend backend(long seed) {
    return TestNets.backend(seed);
  }

  @Override
  protected String id() {
    return TensorFlowBackendProvider.ID;
  }

  @Override
  protected long step(Backend b) {
    return ((TensorFlowBackend) b).step();
  }

  @Override
  protected SharedWeights weights(Backend b) {
    return ((TensorFlowBackend) b).weights();
  }

}
