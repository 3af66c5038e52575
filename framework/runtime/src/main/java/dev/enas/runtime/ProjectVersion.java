package dev.enas.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The project's version, which the host and the API share: read from {@code dev/enas/runtime/enas.properties},
 * which Maven fills at build time. The OSGi form is what the host exports {@code dev.enas.api.*} and
 * {@code dev.enas.proto} with, so a plugin can import them with a version range.
 */
public final class ProjectVersion {
  private static final String MAVEN = load();

  private ProjectVersion() {}

  /** The Maven version, e.g. {@code 0.1.0-SNAPSHOT}; {@code 0.0.0} when the build did not fill it in. */
  public static String maven() {
    return MAVEN;
  }

  /** The OSGi version, e.g. {@code 0.1.0.SNAPSHOT} for {@code 0.1.0-SNAPSHOT}. */
  public static String osgi() {
    return osgi(MAVEN);
  }

  /**
   * A Maven version in OSGi form: major.minor.micro with missing parts 0, then the qualifier (what followed a '-'
   * or a fourth part) with characters OSGi does not allow turned into '_'.
   */
  public static String osgi(String maven) {
    String v = maven == null ? "" : maven.strip();
    String qualifier = "";
    int dash = v.indexOf('-');
    if (dash >= 0) {
      qualifier = v.substring(dash + 1);
      v = v.substring(0, dash);
    }
    String[] parts = v.split("\\.", 4);
    int[] numbers = new int[3];
    for (int i = 0; i < parts.length; i++) {
      if (i == 3 || !parts[i].matches("\\d{1,9}")) {
        String rest = String.join(".", java.util.Arrays.copyOfRange(parts, i, parts.length));
        qualifier = rest.isEmpty() ? qualifier : qualifier.isEmpty() ? rest : rest + "-" + qualifier;
        break;
      }
      numbers[i] = Integer.parseInt(parts[i]);
    }
    String q = qualifier.replaceAll("[^A-Za-z0-9_-]", "_");
    return numbers[0] + "." + numbers[1] + "." + numbers[2] + (q.isEmpty() ? "" : "." + q);
  }

  private static String load() {
    try (InputStream in = ProjectVersion.class.getResourceAsStream("enas.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "");
        if (!v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through to the placeholder
    }
    return "0.0.0";
  }
}
