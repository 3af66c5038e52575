package dev.enas.api.plugin;

/**
 * A plugin refuses one of its options. {@link #option()} is the option's path in the plugin's options message
 * ({@code channels}, {@code augmentation.pad}), so the host can point at the line of the run config that sets it;
 * the message names the option and says what is allowed, e.g. {@code channels must be in [1, 4096], got 0}. Providers throw it from
 * {@code create} (and datasets from {@code describe}); a plain {@link IllegalArgumentException} still works, and the
 * host then looks for an option name in its message.
 */
public class OptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String option;

  /**
   * @param option the option's path in the options message, dot-separated for nested messages
   * @param problem what is wrong and what is allowed, read after the option's name: {@code must be in [1, 64], got 0}
   */
  public OptionException(String option, String problem) {
    super(option + " " + problem);
    this.option = option;
  }

  /** The option's path in the plugin's options message, e.g. {@code augmentation.pad}. */
  public String option() {
    return option;
  }

  /** Checks {@code min <= value <= max} in 64 bits; the message gives the range. */
  public static long requireRange(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new OptionException(option, "must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }
}
