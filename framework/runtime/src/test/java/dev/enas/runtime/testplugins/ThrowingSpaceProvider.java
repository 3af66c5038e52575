package dev.enas.runtime.testplugins;

import com.google.protobuf.Empty;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;

/** A provider whose constructor throws: a broken plugin must not stop the rest. */
public final class ThrowingSpaceProvider implements SearchSpaceProvider<Empty> {
  public ThrowingSpaceProvider() {
    throw new IllegalStateException("boom in constructor");
  }

  @Override
  public String id() {
    return "throwing";
  }

  @Override
  public Empty defaultOptions() {
    return Empty.getDefaultInstance();
  }

  @Override
  public SearchSpace create(Empty options) {
    throw new UnsupportedOperationException();
  }
}
