package dev.enas.sweep.config;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.enas.api.plugin.PluginKind;
import dev.enas.proto.AxisValue;
import dev.enas.proto.RunConfig;
import dev.enas.proto.SweepAxis;
import dev.enas.proto.SweepConfig;
import dev.enas.proto.Trial;
import dev.enas.proto.TrialStatus;
import dev.enas.runtime.config.ConfigLoader;
import dev.enas.runtime.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The trials of a sweep: every combination of its axes' values (the first axis varies slowest), each the base run
 * config with those values set and the backend's op threads fixed so that trials side by side share the cores.
 */
public final class TrialPlan {
  /** The intra-op thread option both shipped backends name alike. */
  static final String THREADS_OPTION = "intra_op_threads";

  private TrialPlan() {}

  /** One planned trial: its index entry (pending) and its run config. */
  public record Planned(Trial trial, RunConfig config) {}

  /**
   * Every trial of {@code sweep} over {@code base}; {@code threads} goes into the backend's intra_op_threads unless
   * the base config or an axis sets it.
   */
  public static List<Planned> expand(SweepConfig sweep, RunConfig base, PluginRegistry registry, int threads) {
    AxisPaths paths = new AxisPaths(registry);
    List<List<AxisValue>> combos = combinations(sweep.getAxisList());
    List<Planned> out = new ArrayList<>();
    for (int i = 0; i < combos.size(); i++) {
      RunConfig c = base;
      for (AxisValue v : combos.get(i)) {
        c = paths.apply(c, v.getPath(), v.getValue());
      }
      c = withThreads(c, registry, threads);
      String id = String.format(Locale.ROOT, "t%03d", i);
      c = c.toBuilder().setRunDir("").setName(c.getName().isEmpty() ? id : c.getName() + "-" + id).build();
      Trial t = Trial.newBuilder().setId(id).addAllValues(combos.get(i)).setDir("trials/" + id)
          .setStatus(TrialStatus.TRIAL_PENDING).build();
      out.add(new Planned(t, c));
    }
    return out;
  }

  /** The cartesian product of the axes, in order; one empty combination when there are no axes. */
  static List<List<AxisValue>> combinations(List<SweepAxis> axes) {
    List<List<AxisValue>> combos = new ArrayList<>();
    combos.add(List.of());
    for (SweepAxis a : axes) {
      List<List<AxisValue>> next = new ArrayList<>();
      for (List<AxisValue> prefix : combos) {
        for (String v : a.getValuesList()) {
          List<AxisValue> c = new ArrayList<>(prefix);
          c.add(AxisValue.newBuilder().setPath(a.getPath()).setValue(v).build());
          next.add(c);
        }
      }
      combos = next;
    }
    return combos;
  }

  private static RunConfig withThreads(RunConfig c, PluginRegistry registry, int threads) {
    if (threads <= 0 || !c.hasBackend() || c.getBackend().getId().isEmpty()) {
      return c;
    }
    Message options = ConfigLoader.unpack(Path.of("backend"), PluginKind.BACKEND,
        registry.get(PluginKind.BACKEND, c.getBackend().getId(), c.getBackend().getJar()), c.getBackend());
    FieldDescriptor f = options.getDescriptorForType().findFieldByName(THREADS_OPTION);
    if (f == null || f.getJavaType() != FieldDescriptor.JavaType.INT || options.hasField(f)) {
      return c;
    }
    Message set = options.toBuilder().setField(f, threads).build();
    return c.toBuilder().setBackend(c.getBackend().toBuilder().setOptions(Any.pack(set))).build();
  }

  /** The group a trial belongs to in the summary: its axis values except the seed's. */
  public static List<AxisValue> group(Trial t) {
    List<AxisValue> g = new ArrayList<>();
    for (AxisValue v : t.getValuesList()) {
      if (!v.getPath().equals("seed")) {
        g.add(v);
      }
    }
    return g;
  }
}
