package dev.enas.plugins.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.backend.TrainResult;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void trainsAFewSteps() {
    TensorShape s = TensorShape.of(8, 8, 1);
    try (PyTorchBackend b = TestNets.backend(1)) {
      System.out.println("DEVICE " + b.device());
      var net = TestNets.convNet(s, 4, 4, new Op.Pool(Op.Pool.Kind.AVG, 3, 2), "pool");
      var batch = TestNets.quadrants(8, s, 4, 1);
      for (int i = 0; i < 30; i++) {
        TrainResult r = b.train(net, batch, 0.1);
        if (i % 10 == 0 || i == 29) System.out.println("STEP " + i + " " + r);
      }
      System.out.println("EVAL " + b.evaluate(net, batch));
    }
  }
}
