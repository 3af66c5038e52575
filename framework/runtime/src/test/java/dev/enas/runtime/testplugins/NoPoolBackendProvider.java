package dev.enas.runtime.testplugins;

import com.google.protobuf.Empty;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.ir.Op;
import java.util.LinkedHashSet;
import java.util.Set;

/** The toy backend, saying it does not implement {@link Op.Pool}, which the tiny space's choices use. */
public final class NoPoolBackendProvider implements BackendProvider<Empty> {
  @Override
  public String id() {
    return "toy-no-pool";
  }

  @Override
  public Empty defaultOptions() {
    return Empty.getDefaultInstance();
  }

  @Override
  public Set<Class<? extends Op>> supportedOps(Empty options) {
    Set<Class<? extends Op>> ops = new LinkedHashSet<>(Op.kinds());
    ops.remove(Op.Pool.class);
    return ops;
  }

  @Override
  public Backend create(Empty options, long seed) {
    return ToyBackendProvider.backend(seed, id());
  }
}
