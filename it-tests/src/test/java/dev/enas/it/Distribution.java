package dev.enas.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A private copy of the unpacked distribution, and a way to run its {@code bin/enas}. */
final class Distribution {
  final Path home;

  private Distribution(Path home) {
    this.home = home;
  }

  /** The built distribution under distribution/target/enas. */
  static Path built() {
    Path p = Path.of(System.getProperty("enas.distribution", "../distribution/target/enas"));
    if (!Files.isExecutable(p.resolve("bin/enas"))) {
      throw new IllegalStateException("no built distribution at " + p.toAbsolutePath() + "; run mvn verify from the root");
    }
    return p;
  }

  /** Copies the built distribution into {@code dir}, keeping bin/enas executable. */
  static Distribution copyTo(Path dir) throws IOException {
    Path from = built();
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(dir.resolve(from.relativize(d).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        Files.copy(f, dir.resolve(from.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES);
        return FileVisitResult.CONTINUE;
      }
    });
    return new Distribution(dir);
  }

  Path plugins() {
    return home.resolve("plugins");
  }

  /** Runs bin/enas with arguments, from {@code workDir}, with no Maven or source tree involved. */
  Result run(Path workDir, long timeoutSeconds, String... args) throws IOException, InterruptedException {
    return run(workDir, timeoutSeconds, Map.of(), args);
  }

  /** As {@link #run(Path, long, String...)}, with extra environment variables. */
  Result run(Path workDir, long timeoutSeconds, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin/enas").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    Path out = Files.createTempFile("enas-out", ".txt");
    Path err = Files.createTempFile("enas-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("ENAS_JAVA_OPTS", "-Xmx2g");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bin/enas " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s; stderr:\n"
          + Files.readString(err));
    }
    Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  /** What one run of bin/enas printed, and its exit code. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
