package dev.enas.sweep.summary;

import dev.enas.proto.AxisValue;
import dev.enas.proto.SweepIndex;
import dev.enas.proto.Trial;
import dev.enas.proto.TrialResult;
import dev.enas.proto.TrialStatus;
import dev.enas.sweep.config.TrialPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The sweep's summary table: one row per group (the trials' axis values other than the seed), with the number of
 * trials, finished and failed, and the mean ± 95% confidence interval (Student t) of each metric over the group's
 * finished trials. Written as CSV (mean and half-width in columns of their own) and as Markdown.
 */
public final class SweepSummary {
  /** A metric of a finished trial; a trial without it (no derive, no retraining) does not count towards it. */
  record Metric(String name, Function<TrialResult, Double> value) {}

  static final List<Metric> METRICS = List.of(
      new Metric("final_reward", r -> r.hasFinalReward() ? r.getFinalReward() : null),
      new Metric("derived_reward", r -> r.hasDerivedReward() ? r.getDerivedReward() : null),
      new Metric("valid_accuracy", r -> r.hasValidAccuracy() ? r.getValidAccuracy() : null),
      new Metric("test_accuracy", r -> r.hasTestAccuracy() ? r.getTestAccuracy() : null),
      new Metric("valid_perplexity", r -> r.hasValidPerplexity() ? r.getValidPerplexity() : null),
      new Metric("test_perplexity", r -> r.hasTestPerplexity() ? r.getTestPerplexity() : null),
      new Metric("wall_seconds", r -> r.getWallSeconds()),
      // a trial that trained a given architecture did not search
      new Metric("child_steps", r -> r.getChildSteps() > 0 ? (double) r.getChildSteps() : null));

  /** One group's row. */
  public record Row(List<AxisValue> group, int trials, int finished, int failed, Map<String, MeanInterval> metrics) {}

  private final List<String> axes;
  private final List<Row> rows;

  private SweepSummary(List<String> axes, List<Row> rows) {
    this.axes = axes;
    this.rows = rows;
  }

  /** The summary of an index; groups in the order their first trial appears. */
  public static SweepSummary of(SweepIndex index) {
    Map<List<AxisValue>, List<Trial>> groups = new LinkedHashMap<>();
    for (Trial t : index.getTrialList()) {
      groups.computeIfAbsent(TrialPlan.group(t), g -> new ArrayList<>()).add(t);
    }
    List<String> axes = new ArrayList<>();
    if (!groups.isEmpty()) {
      groups.keySet().iterator().next().forEach(v -> axes.add(v.getPath()));
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<List<AxisValue>, List<Trial>> g : groups.entrySet()) {
      int finished = 0;
      int failed = 0;
      Map<String, List<Double>> values = new LinkedHashMap<>();
      METRICS.forEach(m -> values.put(m.name(), new ArrayList<>()));
      for (Trial t : g.getValue()) {
        if (t.getStatus() == TrialStatus.TRIAL_FAILED) {
          failed++;
        }
        if (t.getStatus() != TrialStatus.TRIAL_FINISHED) {
          continue;
        }
        finished++;
        for (Metric m : METRICS) {
          Double v = m.value().apply(t.getResult());
          if (v != null) {
            values.get(m.name()).add(v);
          }
        }
      }
      Map<String, MeanInterval> metrics = new LinkedHashMap<>();
      values.forEach((k, v) -> metrics.put(k, MeanInterval.of(v)));
      rows.add(new Row(g.getKey(), g.getValue().size(), finished, failed, metrics));
    }
    return new SweepSummary(axes, rows);
  }

  public List<Row> rows() {
    return rows;
  }

  /** The metrics with a value in some row: a sweep without retraining has no test accuracy column. */
  private List<Metric> shown() {
    List<Metric> shown = new ArrayList<>();
    for (Metric m : METRICS) {
      if (rows.stream().anyMatch(r -> r.metrics().get(m.name()).n() > 0)) {
        shown.add(m);
      }
    }
    return shown;
  }

  /**
   * CSV: axis columns, trials, finished, failed, then {@code <metric>_n, <metric>_mean, <metric>_ci95,
   * <metric>_sd} (the sample standard deviation).
   */
  public String csv() {
    List<Metric> shown = shown();
    StringBuilder b = new StringBuilder();
    List<String> head = new ArrayList<>(axes);
    head.addAll(List.of("trials", "finished", "failed"));
    for (Metric m : shown) {
      head.addAll(List.of(m.name() + "_n", m.name() + "_mean", m.name() + "_ci95", m.name() + "_sd"));
    }
    b.append(String.join(",", head)).append('\n');
    for (Row r : rows) {
      List<String> cells = new ArrayList<>();
      r.group().forEach(v -> cells.add(csvCell(v.getValue())));
      cells.addAll(List.of(String.valueOf(r.trials()), String.valueOf(r.finished()), String.valueOf(r.failed())));
      for (Metric m : shown) {
        MeanInterval mi = r.metrics().get(m.name());
        cells.addAll(List.of(String.valueOf(mi.n()), number(mi.mean()), number(mi.halfWidth()), number(mi.sd())));
      }
      b.append(String.join(",", cells)).append('\n');
    }
    return b.toString();
  }

  /** A Markdown table with {@code mean ± ci} cells. */
  public String markdown(String title) {
    List<Metric> shown = shown();
    StringBuilder b = new StringBuilder("# Sweep ").append(title).append("\n\n");
    b.append("Mean ± half-width of the 95% confidence interval (Student t) over each group's finished trials; "
        + "a group is one combination of the axes other than the seed.\n\n");
    List<String> head = new ArrayList<>(axes);
    head.addAll(List.of("trials", "finished", "failed"));
    shown.forEach(m -> head.add(m.name()));
    b.append("| ").append(String.join(" | ", head)).append(" |\n");
    b.append("|").append("---|".repeat(head.size())).append('\n');
    for (Row r : rows) {
      List<String> cells = new ArrayList<>();
      r.group().forEach(v -> cells.add(v.getValue().replace("|", "\\|")));
      cells.addAll(List.of(String.valueOf(r.trials()), String.valueOf(r.finished()), String.valueOf(r.failed())));
      for (Metric m : shown) {
        MeanInterval mi = r.metrics().get(m.name());
        cells.add(mi.n() == 0 ? "" : Double.isNaN(mi.halfWidth()) ? number(mi.mean())
            : number(mi.mean()) + " ± " + number(mi.halfWidth()));
      }
      b.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
    return b.toString();
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }

  private static String csvCell(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
