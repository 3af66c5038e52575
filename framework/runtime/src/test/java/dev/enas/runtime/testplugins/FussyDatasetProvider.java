package dev.enas.runtime.testplugins;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.DatasetInfo;
import dev.enas.api.dataset.DatasetProvider;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The toy dataset behind options that can be refused: a {@code path} that must exist, and a {@code refuse_at_create}
 * switch that lets {@code describe} pass and {@code create} refuse, to test how a command reports a plugin that
 * refuses its options while being wired.
 */
public final class FussyDatasetProvider implements DatasetProvider<Struct> {
  @Override
  public String id() {
    return "fussy-data";
  }

  @Override
  public Struct defaultOptions() {
    return Struct.newBuilder()
        .putFields("path", Value.newBuilder().setStringValue("").build())
        .putFields("refuse_at_create", Value.newBuilder().setBoolValue(false).build())
        .build();
  }

  @Override
  public DatasetInfo describe(Struct options) throws IOException {
    check(options);
    return new ToyDatasetProvider().create(com.google.protobuf.Empty.getDefaultInstance(), 0);
  }

  @Override
  public Dataset create(Struct options, long seed) throws IOException {
    check(options);
    if (options.getFieldsOrDefault("refuse_at_create", Value.getDefaultInstance()).getBoolValue()) {
      throw new IllegalArgumentException("refuse_at_create is set, so this dataset refuses to open");
    }
    return new ToyDatasetProvider().create(com.google.protobuf.Empty.getDefaultInstance(), seed);
  }

  private static void check(Struct options) throws FileNotFoundException {
    String path = options.getFieldsOrDefault("path", Value.getDefaultInstance()).getStringValue();
    if (!path.isEmpty() && !Files.isDirectory(Path.of(path))) {
      throw new FileNotFoundException("fussy-data directory " + path + " does not exist");
    }
  }
}
