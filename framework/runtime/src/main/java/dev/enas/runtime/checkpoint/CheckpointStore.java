package dev.enas.runtime.checkpoint;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.enas.proto.CheckpointFile;
import dev.enas.proto.CheckpointManifest;
import dev.enas.proto.RunConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoints of one run, in {@code <run-dir>/checkpoints/}. Each is a directory {@code epoch-NNNN}
 * written whole under a temporary name and then renamed, with a manifest of sizes and sha256 checksums;
 * the file {@code LATEST} names the newest. A checkpoint that fails its checks is refused, never reused.
 */
public final class CheckpointStore {
  public static final int FORMAT_VERSION = 1;
  static final String MANIFEST = "manifest.pb";
  static final String LATEST = "LATEST";

  private final Path dir;
  private final int keep;

  /** @param keep how many complete checkpoints to keep; older ones are deleted after a new one is in place */
  public CheckpointStore(Path runDir, int keep) {
    this.dir = runDir.resolve("checkpoints");
    this.keep = Math.max(1, keep);
  }

  /** Writes one part of a checkpoint into the directory being assembled. */
  @FunctionalInterface
  public interface Part {
    void writeTo(Path file) throws IOException;
  }

  /**
   * Writes a checkpoint atomically.
   *
   * @param parts file name -> (role, writer), written in order
   */
  public Path write(int epoch, long step, String space, String backend, RunConfig config,
      Map<String, Map.Entry<String, Part>> parts) throws IOException {
    Files.createDirectories(dir);
    String name = String.format("epoch-%04d", epoch);
    Path tmp = dir.resolve(".tmp-" + name);
    deleteTree(tmp);
    Files.createDirectories(tmp);
    CheckpointManifest.Builder m = CheckpointManifest.newBuilder()
        .setFormatVersion(FORMAT_VERSION).setSpace(space).setBackend(backend).setEpoch(epoch).setGlobalStep(step)
        .setCreatedUnixMillis(System.currentTimeMillis()).setConfig(config);
    for (Map.Entry<String, Map.Entry<String, Part>> e : parts.entrySet()) {
      Path file = tmp.resolve(e.getKey());
      e.getValue().getValue().writeTo(file);
      AtomicFiles.force(file);
      m.addFiles(CheckpointFile.newBuilder().setName(e.getKey()).setRole(e.getValue().getKey())
          .setSizeBytes(Files.size(file)).setSha256(AtomicFiles.sha256(file)));
    }
    Files.write(tmp.resolve(MANIFEST), m.build().toByteArray());
    AtomicFiles.force(tmp.resolve(MANIFEST));
    Path target = dir.resolve(name);
    deleteTree(target);
    AtomicFiles.move(tmp, target);
    AtomicFiles.write(dir.resolve(LATEST), (name + "\n").getBytes(StandardCharsets.UTF_8));
    prune(name);
    return target;
  }

  /** Deletes every checkpoint of the run. */
  public void clear() throws IOException {
    deleteTree(dir);
  }

  /** The newest checkpoint, verified; empty when the run has none yet. */
  public Optional<Checkpoint> latest() throws IOException {
    Path latest = dir.resolve(LATEST);
    if (!Files.exists(latest)) {
      return Optional.empty();
    }
    String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
    if (!name.matches("epoch-\\d{4,}")) {
      throw new CheckpointException(latest + " is corrupt (it names '" + name + "'); the run cannot be resumed from it");
    }
    return Optional.of(open(dir.resolve(name)));
  }

  /** Opens and verifies one checkpoint directory: the manifest parses and every file has its size and checksum. */
  public static Checkpoint open(Path cp) throws IOException {
    CheckpointManifest m;
    try {
      m = CheckpointManifest.parseFrom(Files.readAllBytes(cp.resolve(MANIFEST)));
    } catch (NoSuchFileException e) {
      throw new CheckpointException("checkpoint " + cp + " has no " + MANIFEST + "; it is incomplete or not a checkpoint");
    } catch (InvalidProtocolBufferException e) {
      throw new CheckpointException("checkpoint manifest " + cp.resolve(MANIFEST) + " is corrupt: " + e.getMessage(), e);
    }
    if (m.getFormatVersion() != FORMAT_VERSION) {
      throw new CheckpointException("checkpoint " + cp + " has format version " + m.getFormatVersion()
          + "; this enas reads version " + FORMAT_VERSION);
    }
    for (CheckpointFile f : m.getFilesList()) {
      Path p = cp.resolve(f.getName());
      if (!Files.isRegularFile(p)) {
        throw new CheckpointException("checkpoint " + cp + " is missing " + f.getName());
      }
      if (Files.size(p) != f.getSizeBytes()) {
        throw new CheckpointException("checkpoint file " + p + " has " + Files.size(p) + " bytes, the manifest says "
            + f.getSizeBytes() + " (truncated or replaced)");
      }
      if (!AtomicFiles.sha256(p).equals(f.getSha256())) {
        throw new CheckpointException("checkpoint file " + p + " fails its sha256 check (corrupt)");
      }
    }
    return new Checkpoint(cp, m);
  }

  private void prune(String newest) throws IOException {
    List<Path> all = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "epoch-*")) {
      s.forEach(all::add);
    }
    all.sort(null);
    for (int i = 0; i < all.size() - keep; i++) {
      if (!all.get(i).getFileName().toString().equals(newest)) {
        deleteTree(all.get(i));
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    if (Files.isDirectory(p)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
        for (Path c : s) {
          deleteTree(c);
        }
      }
    }
    Files.delete(p);
  }

  /** One verified checkpoint directory and its manifest. */
  public record Checkpoint(Path dir, CheckpointManifest manifest) {
    public Path file(String name) {
      return dir.resolve(name);
    }

    /** Refuses a checkpoint written for another space or backend. */
    public void requireMatches(String space, String backend) {
      if (!manifest.getSpace().equals(space) || !manifest.getBackend().equals(backend)) {
        throw new CheckpointException("checkpoint " + dir + " was written by space '" + manifest.getSpace()
            + "' and backend '" + manifest.getBackend() + "', but the run uses '" + space + "' and '" + backend + "'");
      }
    }
  }
}
