package dev.enas.runtime.testplugins;

import com.google.protobuf.Empty;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.backend.BackendUnavailableException;

/** A backend whose natives are missing: {@code create} throws {@link BackendUnavailableException}. */
public final class UnavailableBackendProvider implements BackendProvider<Empty> {
  public static final String MESSAGE = "backend 'toy-unavailable' needs libtoy.so, which is not installed; "
      + "install toy-natives";

  @Override
  public String id() {
    return "toy-unavailable";
  }

  @Override
  public Empty defaultOptions() {
    return Empty.getDefaultInstance();
  }

  @Override
  public Backend create(Empty options, long seed) {
    throw new BackendUnavailableException(MESSAGE, new UnsatisfiedLinkError("no toy in java.library.path"));
  }
}
