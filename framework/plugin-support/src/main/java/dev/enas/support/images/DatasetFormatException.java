package dev.enas.support.images;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset file that is not what its format says it should be; the message names the file and the problem. */
public final class DatasetFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public DatasetFormatException(Path file, String problem) {
    super(file + ": " + problem);
  }
}
