package dev.enas.runtime.testplugins;

import com.google.protobuf.Duration;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;

/**
 * A second toy backend, for switching backends: the toy backend's numerics and weights file under another id, with
 * typed options ({@code Duration}: fields {@code seconds} and {@code nanos}) that carry over by name to a backend
 * whose options have such fields ({@link ToyBackendCProvider}) and not to one without ({@link ToyBackendProvider}).
 */
public final class ToyBackendBProvider implements BackendProvider<Duration> {
  /** The options the last created backend got; a test hook. */
  public static volatile Duration lastOptions;

  @Override
  public String id() {
    return "toy-backend-b";
  }

  @Override
  public Duration defaultOptions() {
    return Duration.getDefaultInstance();
  }

  @Override
  public Backend create(Duration options, long seed) {
    lastOptions = options;
    return ToyBackendProvider.backend(seed, id());
  }
}
