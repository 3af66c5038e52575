package dev.enas.plugins.backend.pytorch;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.enas.support.backend.PhaseClock;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Chrome trace that libtorch's profiler writes ({@code JniUtils.stopProfile}) into a profile's op types.
 * Ops nest (an {@code aten::linear} calls an {@code aten::addmm}), so each op is counted by its self time: its duration
 * less that of the ops it called, found by nesting the complete events of each thread by their timestamps.
 */
final class TorchProfile {
  private TorchProfile() {}

  private record Span(String name, double start, double end) {}

  static void addTo(PhaseClock clock, Path trace) throws IOException {
    JsonElement root;
    try (Reader r = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
      root = JsonParser.parseReader(r);
    }
    JsonElement events = root.isJsonObject() ? root.getAsJsonObject().get("traceEvents") : root;
    if (events == null || !events.isJsonArray()) {
      throw new IOException("no traceEvents in libtorch's profile " + trace);
    }
    Map<String, List<Span>> byThread = new HashMap<>();
    for (JsonElement e : events.getAsJsonArray()) {
      JsonObject o = e.getAsJsonObject();
      if (!"X".equals(text(o, "ph")) || !o.has("dur") || !o.has("ts")) {
        continue;
      }
      double ts = o.get("ts").getAsDouble();
      double dur = o.get("dur").getAsDouble();
      byThread.computeIfAbsent(text(o, "pid") + "/" + text(o, "tid"), k -> new ArrayList<>())
          .add(new Span(text(o, "name"), ts, ts + dur));
    }
    for (List<Span> spans : byThread.values()) {
      // Outer spans first: by start, then the longer first.
      spans.sort(Comparator.comparingDouble(Span::start).thenComparing(Comparator.comparingDouble(Span::end).reversed()));
      Deque<double[]> open = new ArrayDeque<>(); // {end, child time} of the enclosing spans
      Deque<Span> names = new ArrayDeque<>();
      for (Span s : spans) {
        while (!open.isEmpty() && open.peek()[0] <= s.start()) {
          close(clock, open.pop(), names.pop());
        }
        if (!open.isEmpty()) {
          open.peek()[1] += s.end() - s.start();
        }
        open.push(new double[] {s.end(), 0});
        names.push(s);
      }
      while (!open.isEmpty()) {
        close(clock, open.pop(), names.pop());
      }
    }
  }

  private static void close(PhaseClock clock, double[] state, Span s) {
    double self = Math.max(0, (s.end() - s.start()) - state[1]);
    clock.op(s.name(), self / 1e3, 1);
  }

  private static String text(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? "" : e.getAsString();
  }
}
