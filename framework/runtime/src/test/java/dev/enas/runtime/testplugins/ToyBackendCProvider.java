package dev.enas.runtime.testplugins;

import com.google.protobuf.Timestamp;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;

/** A third toy backend whose options ({@code Timestamp}: {@code seconds}, {@code nanos}) share field names with B's. */
public final class ToyBackendCProvider implements BackendProvider<Timestamp> {
  /** The options the last created backend got; a test hook. */
  public static volatile Timestamp lastOptions;

  @Override
  public String id() {
    return "toy-backend-c";
  }

  @Override
  public Timestamp defaultOptions() {
    return Timestamp.getDefaultInstance();
  }

  @Override
  public Backend create(Timestamp options, long seed) {
    lastOptions = options;
    return ToyBackendProvider.backend(seed, id());
  }
}
