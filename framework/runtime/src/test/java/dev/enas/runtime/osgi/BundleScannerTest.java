package dev.enas.runtime.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.enas.api.plugin.PluginKind;
import dev.enas.runtime.plugin.PluginRegistry;
import dev.enas.runtime.testplugins.TinySpaceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/** The bundle is the boundary here: a mock stands for what Felix would hand the scanner. */
class BundleScannerTest {

  @Test
  void registersProvidersListedInTheBundlesOwnServicesFile(@TempDir Path dir) throws Exception {
    Path services = Files.writeString(dir.resolve("services"), "# comment\n" + TinySpaceProvider.class.getName() + "\n");
    Bundle bundle = mock(Bundle.class);
    when(bundle.getEntry(anyString())).thenReturn(null);
    when(bundle.getEntry("META-INF/services/dev.enas.api.space.SearchSpaceProvider")).thenReturn(services.toUri().toURL());
    when(bundle.getVersion()).thenReturn(new Version(2, 1, 0));
    when(bundle.loadClass(TinySpaceProvider.class.getName())).thenAnswer(i -> TinySpaceProvider.class);

    PluginRegistry r = new PluginRegistry();
    assertEquals(1, new BundleScanner(r).scan(bundle, "tiny.jar"));
    assertEquals("2.1.0", r.get(PluginKind.SPACE, "tiny").version());
    assertEquals("tiny.jar", r.get(PluginKind.SPACE, "tiny").source());
  }

  @Test
  void aClassTheBundleCannotLoadIsAProblemOfThatJar(@TempDir Path dir) throws Exception {
    Path services = Files.writeString(dir.resolve("services"), "com.example.Missing\n");
    Bundle bundle = mock(Bundle.class);
    when(bundle.getEntry(anyString())).thenReturn(null);
    when(bundle.getEntry("META-INF/services/dev.enas.api.controller.ControllerProvider"))
        .thenReturn(services.toUri().toURL());
    when(bundle.loadClass("com.example.Missing")).thenThrow(new ClassNotFoundException("com.example.Missing"));

    PluginRegistry r = new PluginRegistry();
    assertEquals(0, new BundleScanner(r).scan(bundle, "broken.jar"));
    assertEquals(1, r.problems().size());
    assertEquals("broken.jar", r.problems().get(0).source());
    assertTrue(r.problems().get(0).cause().contains("com.example.Missing"), r.problems().get(0).cause());
  }
}
