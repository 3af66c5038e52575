package dev.enas.runtime.report;

import dev.enas.proto.Event;
import dev.enas.runtime.events.EventCsv;
import dev.enas.runtime.events.EventLog;
import dev.enas.runtime.rundir.RunDirectory;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run's report into {@code <run-dir>/report/}: PNG plots of child loss, reward and baseline, and
 * controller entropy over time; the event log as CSV; and diagrams of the derived architecture (DOT, and PNG
 * when Graphviz's {@code dot} is installed).
 */
public final class RunReport {
  private static final Logger LOG = LoggerFactory.getLogger(RunReport.class);

  private RunReport() {}

  /** Returns the files written. */
  public static List<Path> write(RunDirectory run) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Event> events = EventLog.read(run.path());
    if (events.isEmpty()) {
      throw new dev.enas.runtime.config.ConfigException("run " + run.path() + " has no events yet");
    }
    Path dir = run.resolve("report");
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();

    Path csv = dir.resolve("events.csv");
    try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      EventCsv.write(events, w);
    }
    written.add(csv);

    List<Double> step = new ArrayList<>();
    List<Double> loss = new ArrayList<>();
    List<Double> update = new ArrayList<>();
    List<Double> reward = new ArrayList<>();
    List<Double> baseline = new ArrayList<>();
    List<Double> entropy = new ArrayList<>();
    for (Event e : events) {
      if (e.hasChildStep()) {
        step.add((double) e.getStep());
        loss.add(e.getChildStep().getLoss());
      } else if (e.hasControllerUpdate()) {
        update.add((double) update.size() + 1);
        reward.add(e.getControllerUpdate().getMeanReward());
        baseline.add(e.getControllerUpdate().getBaseline());
        entropy.add(e.getControllerUpdate().getEntropy());
      }
    }
    if (!loss.isEmpty()) {
      XYChart c = chart("Shared-weight training loss", "child step", "cross-entropy");
      c.addSeries("loss", step, loss).setMarker(SeriesMarkers.NONE);
      c.addSeries("moving average (50)", step, movingAverage(loss, 50)).setMarker(SeriesMarkers.NONE);
      written.add(save(c, dir.resolve("loss.png")));
    }
    if (!reward.isEmpty()) {
      XYChart c = chart("Controller reward", "controller update", "reward");
      c.addSeries("mean reward", update, reward).setMarker(SeriesMarkers.NONE);
      c.addSeries("baseline", update, baseline).setMarker(SeriesMarkers.NONE);
      written.add(save(c, dir.resolve("reward.png")));
      XYChart h = chart("Controller entropy", "controller update", "entropy of sampled decisions (nats)");
      h.addSeries("entropy", update, entropy).setMarker(SeriesMarkers.NONE);
      written.add(save(h, dir.resolve("entropy.png")));
    }
    Path dot = run.resolve("derived/arch.dot");
    if (Files.exists(dot)) {
      Path copy = dir.resolve("arch.dot");
      Files.copy(dot, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      written.add(copy);
      Path png = dir.resolve("arch.png");
      if (GraphvizDot.render(copy, png)) {
        written.add(png);
      } else {
        LOG.info("Graphviz 'dot' not found: {} holds the diagram (apt-get install graphviz to get a PNG)", copy);
      }
    }
    return written;
  }

  private static XYChart chart(String title, String x, String y) {
    XYChart c = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(x).yAxisTitle(y).build();
    c.getStyler().setLegendVisible(true);
    return c;
  }

  private static Path save(XYChart c, Path file) throws IOException {
    BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }

  static List<Double> movingAverage(List<Double> v, int window) {
    List<Double> out = new ArrayList<>(v.size());
    double sum = 0;
    for (int i = 0; i < v.size(); i++) {
      sum += v.get(i);
      if (i >= window) {
        sum -= v.get(i - window);
      }
      out.add(sum / Math.min(i + 1, window));
    }
    return out;
  }
}
