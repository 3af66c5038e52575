package dev.enas.runtime.testplugins;

import com.google.protobuf.Empty;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;

/** A space whose options type comes straight from protobuf, so its bundle must import com.google.protobuf. */
public final class EmptyOptionsSpaceProvider implements SearchSpaceProvider<Empty> {
  @Override
  public String id() {
    return "empty-options";
  }

  @Override
  public Empty defaultOptions() {
    return Empty.getDefaultInstance();
  }

  @Override
  public SearchSpace create(Empty options) {
    throw new UnsupportedOperationException("only loaded, never created");
  }
}
