package dev.enas.runtime.checkpoint;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.enas.proto.CheckpointFile;
import dev.enas.proto.CheckpointManifest;
import dev.enas.proto.RunConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one run, in {@code <run-dir>/checkpoints/}. Each is a directory {@code epoch-NNNN}
 * written whole under a temporary name and then renamed, with a manifest of sizes and sha256 checksums;
 * the file {@code LATEST} names the newest. A checkpoint that fails its checks is refused, never reused
 * and never deleted by the store: when a run continues from an older checkpoint, the newer ones are moved
 * aside ({@code corrupt-epoch-NNNN}, {@code superseded-epoch-NNNN}) and kept for inspection.
 *
 * <p>{@code LATEST} is a hint, not the truth: {@link #select} verifies the directories themselves, newest
 * first, and resumes from the newest that verifies, saying why when that is not the one LATEST names.
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  public static final int FORMAT_VERSION = 1;
  static final String MANIFEST = "manifest.pb";
  static final String LATEST = "LATEST";
  private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,})");

  private final Path dir;
  private final int keep;

  /** @param keep how many complete checkpoints to keep; older ones are deleted after a new one is in place */
  public CheckpointStore(Path runDir, int keep) {
    this.dir = runDir.resolve("checkpoints");
    this.keep = Math.max(1, keep);
  }

  /** The checkpoints directory. */
  public Path directory() {
    return dir;
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
    String name = name(epoch);
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
    if (Files.exists(target)) {
      // Only reached when a caller did not set newer checkpoints aside first; an older one is never destroyed.
      moveAside(target, "superseded-");
    }
    AtomicFiles.move(tmp, target);
    AtomicFiles.write(dir.resolve(LATEST), (name + "\n").getBytes(StandardCharsets.UTF_8));
    prune(name);
    return target;
  }

  /** Deletes every checkpoint of the run, including those set aside. */
  public void clear() throws IOException {
    deleteTree(dir);
  }

  /** Whether the checkpoints directory holds anything a run wrote: a checkpoint, LATEST, or one set aside. */
  public boolean isEmpty() throws IOException {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (!p.getFileName().toString().startsWith(".")) {
          return false;
        }
      }
    }
    return true;
  }

  /** The {@code epoch-NNNN} checkpoint directories, oldest first (verified or not). */
  public List<Path> checkpoints() throws IOException {
    List<Path> all = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return all;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "epoch-*")) {
      for (Path p : s) {
        if (NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)) {
          all.add(p);
        }
      }
    }
    all.sort(Comparator.comparingLong(CheckpointStore::epochOf));
    return all;
  }

  /**
   * The checkpoint a run continues from.
   *
   * @param checkpoint verified
   * @param reason why this one: named by LATEST, or why LATEST was not followed
   * @param rejected newer checkpoints that failed their checks, one message each naming the bad file
   */
  public record Selection(Checkpoint checkpoint, String reason, List<String> rejected) {
    /** The checkpoint's directory name, {@code epoch-NNNN}. */
    public String name() {
      return checkpoint.dir().getFileName().toString();
    }
  }

  /** The newest checkpoint, verified, as {@link #select} picks it; empty when the run has none yet. */
  public Optional<Checkpoint> latest() throws IOException {
    return select("").map(Selection::checkpoint);
  }

  /**
   * Picks the checkpoint to continue from: the newest {@code epoch-NNNN} whose manifest and files verify. LATEST
   * normally names it; when LATEST is missing, unreadable or names a checkpoint that is gone or fails its checks,
   * the directory is scanned instead, and each checkpoint passed over is logged with the file that failed.
   *
   * @param remedy what the user can do when nothing usable is found, appended to the error
   * @return empty only when the checkpoints directory holds nothing at all (no checkpoint was ever written)
   * @throws CheckpointException when checkpoints (or LATEST) exist but none verifies; the message lists them
   */
  public Optional<Selection> select(String remedy) throws IOException {
    List<Path> all = checkpoints();
    Latest latest = readLatest();
    if (all.isEmpty()) {
      if (latest.state != LatestState.MISSING || !isEmpty()) {
        throw new CheckpointException(dir + " holds no checkpoint (no epoch-NNNN directory), though a run wrote "
            + "there: " + describeContents() + ". It cannot be resumed" + suffix(remedy));
      }
      return Optional.empty();
    }
    List<String> rejected = new ArrayList<>();
    Checkpoint chosen = null;
    for (int i = all.size() - 1; i >= 0 && chosen == null; i--) {
      Path p = all.get(i);
      try {
        chosen = open(p);
      } catch (CheckpointException | IOException e) {
        String why = e instanceof CheckpointException ? e.getMessage() : p + " cannot be read: " + e;
        rejected.add(why);
      }
    }
    if (chosen == null) {
      StringBuilder m = new StringBuilder("no checkpoint in " + dir + " verifies, so the run cannot be resumed; "
          + "found:");
      for (int i = 0; i < all.size(); i++) {
        m.append("\n  ").append(all.get(all.size() - 1 - i).getFileName()).append(": ").append(rejected.get(i));
      }
      m.append("\n  ").append(LATEST).append(": ").append(latest.describe());
      throw new CheckpointException(m + (remedy.isEmpty() ? "" : "\n" + remedy));
    }
    String name = chosen.dir().getFileName().toString();
    for (String why : rejected) {
      LOG.warn("passing over a checkpoint newer than {}: {}", name, why);
    }
    String reason;
    switch (latest.state) {
      case MISSING -> reason = "checkpoints/" + LATEST + " is missing; " + name
          + " is the newest checkpoint that verifies";
      case UNREADABLE -> reason = "checkpoints/" + LATEST + " is unreadable (" + latest.describe() + "); " + name
          + " is the newest checkpoint that verifies";
      default -> {
        if (latest.name.equals(name)) {
          reason = "named by " + LATEST;
        } else if (!Files.isDirectory(dir.resolve(latest.name))) {
          reason = "checkpoints/" + LATEST + " names " + latest.name + ", which does not exist; " + name
              + " is the newest checkpoint that verifies";
        } else if (epochOf(dir.resolve(latest.name)) > epochOf(chosen.dir())) {
          reason = "checkpoints/" + LATEST + " names " + latest.name + ", which fails its checks; fell back to " + name
              + ", the newest checkpoint that verifies";
        } else {
          reason = "checkpoints/" + LATEST + " names " + latest.name + ", but " + name
              + " is newer and verifies (the run stopped before LATEST was updated)";
        }
      }
    }
    return Optional.of(new Selection(chosen, reason, List.copyOf(rejected)));
  }

  /**
   * A checkpoint picked by the user: {@code epoch-NNNN}, its epoch number, or the path of its directory, which must
   * be in this run's checkpoints directory.
   *
   * @throws CheckpointException when there is no such checkpoint (the message lists those there are) or it fails
   *     its checks
   */
  public Selection named(String ref) throws IOException {
    String r = ref.trim();
    Path p;
    if (r.matches("[0-9]{1,9}")) {
      p = dir.resolve(name(Integer.parseInt(r)));
    } else if (NAME.matcher(r).matches()) {
      p = dir.resolve(r);
    } else {
      p = Path.of(r);
      if (!Files.isDirectory(p)) {
        throw new CheckpointException("--from " + ref + ": no such checkpoint; " + available());
      }
      if (!Files.isDirectory(dir) || !p.toRealPath().getParent().equals(dir.toRealPath())
          || !NAME.matcher(p.getFileName().toString()).matches()) {
        throw new CheckpointException("--from " + ref + " is not a checkpoint of this run (they are the epoch-NNNN "
            + "directories in " + dir + "); " + available());
      }
    }
    if (!Files.isDirectory(p)) {
      throw new CheckpointException("--from " + ref + ": there is no " + p.getFileName() + " in " + dir + "; "
          + available());
    }
    return new Selection(open(p), "chosen with --from", List.of());
  }

  /**
   * Before a run continues from {@code from}: moves every checkpoint newer than it aside, so that none is
   * overwritten and none disagrees with the event log, which is cut back to {@code from}. One that failed its
   * checks becomes {@code corrupt-epoch-NNNN}, a sound one {@code superseded-epoch-NNNN}; LATEST then names
   * {@code from}.
   */
  public List<Path> setAsideNewerThan(Checkpoint from) throws IOException {
    List<Path> moved = new ArrayList<>();
    long epoch = epochOf(from.dir());
    for (Path p : checkpoints()) {
      if (epochOf(p) > epoch) {
        String prefix;
        try {
          open(p);
          prefix = "superseded-";
        } catch (CheckpointException | IOException e) {
          prefix = "corrupt-";
        }
        Path to = moveAside(p, prefix);
        moved.add(to);
        LOG.warn("moved checkpoint {} aside to {} (kept for inspection; delete it when done): the run continues "
            + "from {}", p.getFileName(), to.getFileName(), from.dir().getFileName());
      }
    }
    Path latest = dir.resolve(LATEST);
    String name = from.dir().getFileName().toString();
    if (!moved.isEmpty() || !name.equals(readLatest().name)) {
      AtomicFiles.write(latest, (name + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return moved;
  }

  private Path moveAside(Path p, String prefix) throws IOException {
    Path to = dir.resolve(prefix + p.getFileName());
    for (int n = 2; Files.exists(to); n++) {
      to = dir.resolve(prefix + p.getFileName() + "-" + n);
    }
    AtomicFiles.move(p, to);
    return to;
  }

  private String available() throws IOException {
    List<Path> all = checkpoints();
    return all.isEmpty() ? dir + " holds no checkpoint"
        : "the checkpoints are " + all.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", "));
  }

  private String describeContents() throws IOException {
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
        s.forEach(p -> names.add(p.getFileName().toString()));
      }
    }
    names.sort(null);
    return names.isEmpty() ? "nothing" : String.join(", ", names);
  }

  private static String suffix(String remedy) {
    return remedy.isEmpty() ? "." : "; " + remedy;
  }

  private enum LatestState { MISSING, UNREADABLE, NAMES }

  private record Latest(LatestState state, String name, String problem) {
    String describe() {
      return switch (state) {
        case MISSING -> "missing";
        case UNREADABLE -> problem;
        case NAMES -> "names " + name;
      };
    }
  }

  private Latest readLatest() throws IOException {
    Path f = dir.resolve(LATEST);
    if (!Files.isRegularFile(f)) {
      return new Latest(LatestState.MISSING, "", "");
    }
    byte[] bytes = Files.readAllBytes(f);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString().trim();
    } catch (CharacterCodingException e) {
      return new Latest(LatestState.UNREADABLE, "", "it holds " + bytes.length + " bytes that are not text");
    }
    if (!NAME.matcher(text).matches()) {
      String shown = text.replaceAll("[^\\x20-\\x7e]", "?");
      return new Latest(LatestState.UNREADABLE, "", "it holds '" + (shown.length() > 40 ? shown.substring(0, 40) + "..."
          : shown) + "', not a checkpoint name");
    }
    return new Latest(LatestState.NAMES, text, "");
  }

  private static String name(int epoch) {
    return String.format("epoch-%04d", epoch);
  }

  private static long epochOf(Path cp) {
    Matcher m = NAME.matcher(cp.getFileName().toString());
    if (!m.matches()) {
      return -1;
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
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
    List<Path> all = checkpoints();
    for (int i = 0; i < all.size() - keep; i++) {
      if (!all.get(i).getFileName().toString().equals(newest)) {
        deleteTree(all.get(i));
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
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

    /**
     * Refuses a checkpoint written for another space. One written by another backend is accepted: the shared-weight
     * file is backend-independent (see {@link #switchedFrom}).
     */
    public void requireSpace(String space) {
      if (!manifest.getSpace().equals(space)) {
        throw new CheckpointException("checkpoint " + dir + " was written by space '" + manifest.getSpace()
            + "', but the run uses '" + space + "'");
      }
    }

    /** The id of the backend that wrote this checkpoint. */
    public String writtenBy() {
      return manifest.getBackend();
    }

    /**
     * The one line to print when this checkpoint was written by another backend than {@code backend}, which
     * continues from it; empty when the backend is the same.
     */
    public java.util.Optional<String> switchedFrom(String backend) {
      if (manifest.getBackend().equals(backend)) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(dir.getFileName() + " was written by backend '" + manifest.getBackend()
          + "'; resuming on backend '" + backend + "', weights, momentum slots and batch-norm statistics carried "
          + "over (the shared tensor store)");
    }
  }
}
