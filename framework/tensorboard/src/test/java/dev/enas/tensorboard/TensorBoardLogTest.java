package dev.enas.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.proto.ChildStep;
import dev.enas.proto.ControllerUpdate;
import dev.enas.proto.EpochEnd;
import dev.enas.proto.tensorboard.DataType;
import dev.enas.proto.tensorboard.Event;
import dev.enas.proto.tensorboard.Summary;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardLogTest {
  @TempDir
  Path tmp;

  /** Two epochs of a search: 3 child steps and 2 controller updates each, then the epoch's end. */
  static List<dev.enas.proto.Event> search() {
    List<dev.enas.proto.Event> events = new ArrayList<>();
    long step = 0;
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int i = 0; i < 3; i++, step++) {
        events.add(ours(epoch, step).setChildStep(ChildStep.newBuilder().setLoss(2.0 - 0.1 * step)
            .setAccuracy(0.1 * step).setLearningRate(0.05).setArchString("0 1 " + step)).build());
      }
      for (int u = 0; u < 2; u++) {
        events.add(ours(epoch, step).setControllerUpdate(ControllerUpdate.newBuilder().setMeanReward(0.3 + epoch)
            .setBaseline(0.2).setEntropy(1.5).setLoss(-0.1).setBestReward(0.5 + epoch)
            .setBestArchString("arch e" + epoch + " u" + u)).build());
      }
      events.add(ours(epoch, step).setEpochEnd(EpochEnd.newBuilder().setMeanChildLoss(1.5).setMeanReward(0.3)
          .setSeconds(3).setSharedSeconds(2).setControllerSeconds(1)).build());
    }
    return events;
  }

  private static dev.enas.proto.Event.Builder ours(int epoch, long step) {
    return dev.enas.proto.Event.newBuilder().setUnixMillis(1_700_000_000_000L + step * 1000).setEpoch(epoch)
        .setStep(step);
  }

  /** tag -> (step -> value) of every summary in a directory's event files of one suffix. */
  static Map<String, Map<Long, Summary.Value>> read(Path dir, String suffix) throws IOException {
    Map<String, Map<Long, Summary.Value>> tags = new LinkedHashMap<>();
    for (Path f : EventFiles.list(dir, suffix)) {
      for (Event e : EventFiles.read(f)) {
        for (Summary.Value v : e.getSummary().getValueList()) {
          Summary.Value old = tags.computeIfAbsent(v.getTag(), t -> new LinkedHashMap<>()).put(e.getStep(), v);
          assertEquals(null, old, "tag " + v.getTag() + " has step " + e.getStep() + " twice");
        }
      }
    }
    return tags;
  }

  @Test
  void aSearchsEventsBecomeScalarsAndTextReadBack() throws IOException {
    try (TensorBoardLog log = TensorBoardLog.create(tmp, TensorBoardLog.SEARCH)) {
      for (dev.enas.proto.Event e : search()) {
        log.append(e);
      }
    }
    List<Path> files = EventFiles.list(tmp, TensorBoardLog.SEARCH);
    assertEquals(1, files.size());
    assertTrue(files.get(0).getFileName().toString().matches("events\\.out\\.tfevents\\.\\d+\\..+\\.search"),
        files.toString());
    List<Event> raw = EventFiles.read(files.get(0));
    assertEquals(EventFileWriter.FILE_VERSION, raw.get(0).getFileVersion());
    assertEquals(1_700_000_001.0, raw.get(2).getWallTime(), 1e-6, "wall time is the event's");

    Map<String, Map<Long, Summary.Value>> tags = read(tmp, TensorBoardLog.SEARCH);
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), List.copyOf(tags.get(EventTranslator.CHILD_LOSS).keySet()));
    assertEquals(2.0 - 0.1 * 4, tags.get(EventTranslator.CHILD_LOSS).get(4L).getSimpleValue(), 1e-6);
    assertEquals(0.05, tags.get(EventTranslator.CHILD_LEARNING_RATE).get(0L).getSimpleValue(), 1e-7);
    // controller updates are numbered 1..4 across epochs, though two share each epoch's child step
    assertEquals(List.of(1L, 2L, 3L, 4L), List.copyOf(tags.get(EventTranslator.CONTROLLER_MEAN_REWARD).keySet()));
    assertEquals(1.3, tags.get(EventTranslator.CONTROLLER_MEAN_REWARD).get(3L).getSimpleValue(), 1e-6);
    assertEquals(1.5, tags.get(EventTranslator.CONTROLLER_BEST_REWARD).get(4L).getSimpleValue(), 1e-6);
    Summary.Value arch = tags.get(EventTranslator.CONTROLLER_BEST_ARCH).get(2L);
    assertEquals(Summaries.TEXT_PLUGIN, arch.getMetadata().getPluginData().getPluginName());
    assertEquals(DataType.DT_STRING, arch.getTensor().getDtype());
    assertEquals("arch e0 u1", arch.getTensor().getStringVal(0).toString(StandardCharsets.UTF_8));
    assertEquals(List.of(1L, 2L), List.copyOf(tags.get(EventTranslator.EPOCH_MEAN_REWARD).keySet()));
    // 3 children in 2 shared seconds
    assertEquals(1.5, tags.get(EventTranslator.EPOCH_CHILDREN_PER_SECOND).get(2L).getSimpleValue(), 1e-6);
  }

  @Test
  void aRebuildReplacesOnlyItsOwnFilesAndShowsEachStepOnce() throws IOException {
    List<dev.enas.proto.Event> all = search();
    try (TensorBoardLog log = TensorBoardLog.create(tmp, TensorBoardLog.SEARCH)) {
      for (dev.enas.proto.Event e : all) {
        log.append(e);
      }
    }
    try (TensorBoardLog derive = TensorBoardLog.create(tmp, TensorBoardLog.DERIVE)) {
      derive.text("derive/arch", 6, "the best");
    }
    // a resume from the checkpoint after epoch 1: the log is cut there, and epoch 2 is done again
    List<dev.enas.proto.Event> kept = all.subList(0, 6);
    try (TensorBoardLog log = TensorBoardLog.rebuild(tmp, TensorBoardLog.SEARCH, kept)) {
      for (dev.enas.proto.Event e : all.subList(6, all.size())) {
        log.append(e); // read() fails on a step written twice
      }
    }
    assertEquals(1, EventFiles.list(tmp, TensorBoardLog.SEARCH).size());
    Map<String, Map<Long, Summary.Value>> tags = read(tmp, TensorBoardLog.SEARCH);
    assertEquals(6, tags.get(EventTranslator.CHILD_LOSS).size());
    assertEquals(List.of(1L, 2L, 3L, 4L), List.copyOf(tags.get(EventTranslator.CONTROLLER_ENTROPY).keySet()));
    assertEquals(1.5, tags.get(EventTranslator.EPOCH_CHILDREN_PER_SECOND).get(2L).getSimpleValue(), 1e-6);
    assertTrue(read(tmp, TensorBoardLog.DERIVE).containsKey("derive/arch"), "the derive's file is left alone");
  }

  @Test
  void aTruncateKeepsStepsUpToTheCheckpointAndDropsACutRecord() throws IOException {
    Path file;
    try (TensorBoardLog log = TensorBoardLog.create(tmp, TensorBoardLog.TRAIN)) {
      log.text("model/arch", 0, "arch");
      for (int epoch = 1; epoch <= 3; epoch++) {
        log.scalar("train/loss", epoch, 1.0 / epoch);
      }
      file = log.file();
    }
    byte[] b = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(b, b.length - 2));
    try (TensorBoardLog log = TensorBoardLog.truncate(tmp, TensorBoardLog.TRAIN, 1)) {
      log.scalar("train/loss", 2, 0.5);
    }
    Map<String, Map<Long, Summary.Value>> tags = read(tmp, TensorBoardLog.TRAIN);
    assertEquals(List.of(1L, 2L), List.copyOf(tags.get("train/loss").keySet()));
    assertTrue(tags.containsKey("model/arch"));
  }

  @Test
  void aCorruptFileIsNamed() throws IOException {
    Path file;
    try (TensorBoardLog log = TensorBoardLog.create(tmp, TensorBoardLog.TRAIN)) {
      log.scalar("train/loss", 1, 0.5);
      file = log.file();
    }
    byte[] b = Files.readAllBytes(file);
    b[b.length - 6] ^= 0x10;
    Files.write(file, b);
    IOException e = assertThrows(IOException.class, () -> TensorBoardLog.truncate(tmp, TensorBoardLog.TRAIN, 5));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void anImageCarriesItsPngSize() throws IOException {
    BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(img, "png", png);
    Summary.Value v = Summaries.image("derive/arch_diagram", png.toByteArray());
    assertEquals(7, v.getImage().getWidth());
    assertEquals(5, v.getImage().getHeight());
    assertEquals(3, v.getImage().getColorspace());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Summaries.image("x", "digraph {}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("not a PNG"), e.getMessage());
  }

  @Test
  void twoFilesStartedInOneSecondDoNotOverwriteEachOther() throws IOException {
    try (TensorBoardLog a = TensorBoardLog.create(tmp, TensorBoardLog.DERIVE);
        TensorBoardLog b = TensorBoardLog.create(tmp, TensorBoardLog.DERIVE)) {
      assertFalse(a.file().equals(b.file()));
    }
    assertEquals(2, EventFiles.list(tmp, TensorBoardLog.DERIVE).size());
  }

  @Test
  void theCommandLineQuotesAPathTheShellWouldSplit() {
    assertEquals("tensorboard --logdir /runs/a/tb", TensorBoardLog.command(Path.of("/runs/a/tb")));
    assertEquals("tensorboard --logdir '/my runs/it'\\''s/tb'", TensorBoardLog.command(Path.of("/my runs/it's/tb")));
  }
}
