package dev.enas.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class ProjectVersionTest {

  @Test
  void mavenVersionsBecomeOsgiVersions() {
    assertEquals("0.1.0.SNAPSHOT", ProjectVersion.osgi("0.1.0-SNAPSHOT"));
    assertEquals("1.2.0", ProjectVersion.osgi("1.2"));
    assertEquals("1.0.0", ProjectVersion.osgi("1"));
    assertEquals("1.2.3.4", ProjectVersion.osgi("1.2.3.4"));
    assertEquals("2.0.0.rc_1", ProjectVersion.osgi("2.0.0-rc.1"));
    assertEquals("0.0.0", ProjectVersion.osgi(""));
  }

  @Test
  void theBuildFillsInTheVersion() {
    assertFalse(ProjectVersion.maven().contains("${"), ProjectVersion.maven());
    assertEquals(ProjectVersion.osgi(ProjectVersion.maven()), ProjectVersion.osgi());
  }
}
