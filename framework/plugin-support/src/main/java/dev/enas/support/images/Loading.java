package dev.enas.support.images;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** What every image dataset provider needs while loading: option checks and the digest of the files read. */
public final class Loading {
  private Loading() {}

  /** {@code value}, or an error naming the option when it is negative. */
  public static int nonNegative(String option, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(option + " must be >= 0, got " + value);
    }
    return value;
  }

  /** A fresh SHA-256 digest, for the dataset digest recorded with a derived architecture. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
