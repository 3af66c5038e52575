package dev.enas.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.runtime.plugin.PluginHost;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** Subcommands that modules on the class path add (enas sweep), and the plugin host a process shares. */
class CommandExtensionTest {
  /** Registered in this module's test resources, as enas-sweep registers its command. */
  public static final class Echo implements CommandExtension {
    @Override
    public Object command() {
      return new EchoCommand();
    }
  }

  @Command(name = "echo-extension", description = "Test command contributed through CommandExtension.")
  static final class EchoCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().getOut().println("contributed");
    }
  }

  @Test
  void aContributedCommandRunsAndIsListed() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, Main.run(new PrintWriter(out), new PrintWriter(err), "echo-extension"), err.toString());
    assertTrue(out.toString().contains("contributed"), out.toString());
    StringWriter help = new StringWriter();
    Main.run(new PrintWriter(help), new PrintWriter(new StringWriter()), "--help");
    assertTrue(help.toString().contains("echo-extension"), help.toString());
  }

  @Test
  void commandsBorrowTheSharedHostAndLeaveItOpen() throws Exception {
    PluginHost shared = PluginHost.fromClasspath();
    HostOptions.shareProcessHost(shared);
    try {
      PluginHost borrowed = new HostOptions().open();
      assertNotSame(shared, borrowed);
      assertSame(shared.registry(), borrowed.registry(), "the same plugins");
      borrowed.close();
      assertSame(shared.registry(), new HostOptions().open().registry());
    } finally {
      HostOptions.shareProcessHost(null);
    }
  }
}
