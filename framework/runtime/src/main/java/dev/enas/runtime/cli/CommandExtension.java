package dev.enas.runtime.cli;

/**
 * A subcommand that a module on the host's class path ({@code lib/}) adds to {@code enas} without the runtime
 * depending on it, found through {@link java.util.ServiceLoader} (a {@code META-INF/services} entry). The sweep
 * module contributes {@code enas sweep} this way: it depends on the runtime (its trials run the runtime's commands),
 * so the runtime cannot list it among {@link EnasCommand}'s subcommands.
 */
public interface CommandExtension {
  /** A new instance of the picocli command (a class annotated with {@code @Command}, its name included). */
  Object command();
}
