package dev.enas.runtime.osgi;

import dev.enas.runtime.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds an OSGi framework (Apache Felix, found through {@link FrameworkFactory}), installs every jar of
 * a plugins directory as a bundle, starts them, and registers their providers. Every jar is read afresh
 * at each start, so a jar dropped into the directory is picked up the next time the host starts.
 */
public final class FelixHost implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FelixHost.class);

  private final Framework framework;
  private final Path storage;

  private FelixHost(Framework framework, Path storage) {
    this.framework = framework;
    this.storage = storage;
  }

  /** Starts a framework with a fresh bundle cache in a temporary directory. */
  public static FelixHost start() throws BundleException, IOException {
    Path storage = Files.createTempDirectory("enas-felix-");
    Map<String, String> config = new HashMap<>();
    config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
    config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
    config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, HostPackages.exports());
    // We report bundle problems ourselves, one warning per jar; Felix's own logger would repeat them.
    config.put("felix.log.level", "0");
    FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, FelixHost.class.getClassLoader())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no OSGi framework on the classpath (org.apache.felix.framework)"));
    Framework framework = factory.newFramework(config);
    framework.init();
    framework.start();
    return new FelixHost(framework, storage);
  }

  public BundleContext context() {
    return framework.getBundleContext();
  }

  /**
   * Installs and starts every {@code *.jar} in {@code dir}, then registers the providers each lists.
   * A jar that is not a bundle, does not resolve, or whose providers fail becomes a problem of that jar.
   *
   * @return the number of providers registered
   */
  public int loadPlugins(Path dir, PluginRegistry registry) throws IOException {
    if (!Files.isDirectory(dir)) {
      registry.problem(dir.toString(), "plugins directory does not exist");
      return 0;
    }
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
      s.forEach(jars::add);
    }
    jars.sort(null);
    Map<Bundle, Path> installed = new HashMap<>();
    List<Bundle> order = new ArrayList<>();
    BundleContext ctx = context();
    for (Path jar : jars) {
      String unreadable = JarCheck.problem(jar);
      if (unreadable != null) {
        registry.problem(jar.toString(), unreadable);
        continue;
      }
      try {
        Bundle b = ctx.installBundle("reference:" + jar.toUri());
        if (b.getHeaders().get(Constants.BUNDLE_SYMBOLICNAME) == null) {
          b.uninstall();
          registry.problem(jar.toString(), "not an OSGi bundle (no Bundle-SymbolicName in its manifest)"
              + (JarCheck.namesAProvider(jar) ? "" : "; it also " + BundleScanner.NO_SERVICES));
          continue;
        }
        installed.put(b, jar);
        order.add(b);
      } catch (BundleException | RuntimeException e) {
        registry.problem(jar.toString(), "cannot install as a bundle: " + rootMessage(e));
      }
    }
    BundleScanner scanner = new BundleScanner(registry);
    int found = 0;
    for (Bundle b : order) {
      Path jar = installed.get(b);
      try {
        b.start();
      } catch (BundleException | RuntimeException e) {
        registry.problem(jar.toString(), "bundle " + b.getSymbolicName() + " does not start: " + rootMessage(e));
        continue;
      }
      found += scanner.scan(b, jar.toString());
    }
    LOG.debug("registered {} providers from {} jars in {}", found, jars.size(), dir);
    return found;
  }

  private static String rootMessage(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }

  @Override
  public void close() {
    try {
      framework.stop();
      framework.waitForStop(10_000);
    } catch (BundleException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("OSGi framework did not stop cleanly: {}", e.getMessage());
    } finally {
      deleteQuietly(storage);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      LOG.debug("could not delete bundle cache {}: {}", dir, e.getMessage());
    }
  }
}
