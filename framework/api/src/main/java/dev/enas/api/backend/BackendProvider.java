package dev.enas.api.backend;

import com.google.protobuf.Message;
import dev.enas.api.ir.Op;
import dev.enas.api.plugin.Plugin;
import java.util.Set;

/** The SPI of a backend plugin. */
public interface BackendProvider<O extends Message> extends Plugin<O> {
  Backend create(O options, long seed);

  /**
   * Checks the options as {@link #create} would, in the validation pass that every command runs before any work; a
   * refusal is an {@link IllegalArgumentException} (an {@link dev.enas.api.plugin.OptionException} names the
   * option). This default creates a backend and closes it; a backend whose start is costly (an engine, a device)
   * should override it with the checks alone.
   */
  default void validate(O options) {
    create(options, 0).close();
  }

  /**
   * The op types a backend created with these options implements, known without starting it: the validation pass
   * refuses a space whose networks use any other, naming op and backend, before any training. This default says every
   * op of the IR.
   */
  default Set<Class<? extends Op>> supportedOps(O options) {
    return Op.kinds();
  }
}
