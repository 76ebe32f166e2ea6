package io.openvoice.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the parser and interpreter benchmarks with JMH and prints one table: each of ours beside its reference
 * from the same run. Settings from the environment: JMH_FORKS (1), JMH_WARMUP_ITERATIONS (5), JMH_WARMUP_TIME
 * (2s), JMH_ITERATIONS (5), JMH_TIME (2s), JMH_INCLUDE (a regex of benchmarks, default all), JMH_JVM_ARGS
 * (-Xms1g -Xmx1g). Arguments: the output directory (target/bench).
 */
public final class JmhMain {
  private JmhMain() {}

  private record Row(String label, String cls, String ref, String doc, String unit) {}

  private static final List<Row> ROWS = List.of(
      new Row("parse small (ref: StAX)", "ParseBench", "referenceStax", "small", "docs/s"),
      new Row("parse large (ref: StAX)", "ParseBench", "referenceStax", "large", "docs/s"),
      new Row("parse small (ref: DOM)", "ParseBench", "referenceDom", "small", "docs/s"),
      new Row("parse large (ref: DOM)", "ParseBench", "referenceDom", "large", "docs/s"),
      new Row("flow small: calls", "FlowBench", "reference", "small", "calls/s"),
      new Row("flow small: steps", "FlowBench", "reference", "small", "steps/s"),
      new Row("flow large: calls", "FlowBench", "reference", "large", "calls/s"),
      new Row("flow large: steps", "FlowBench", "reference", "large", "steps/s"));

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
    Files.createDirectories(out);
    Path json = out.resolve("jmh.json");
    ChainedOptionsBuilder opts = new OptionsBuilder()
        .include(env("JMH_INCLUDE", "io\\.openvoice\\.bench\\.(ParseBench|FlowBench)\\..*"))
        .forks(Integer.parseInt(env("JMH_FORKS", "1")))
        .warmupIterations(Integer.parseInt(env("JMH_WARMUP_ITERATIONS", "5")))
        .warmupTime(TimeValue.fromString(env("JMH_WARMUP_TIME", "2s")))
        .measurementIterations(Integer.parseInt(env("JMH_ITERATIONS", "5")))
        .measurementTime(TimeValue.fromString(env("JMH_TIME", "2s")))
        .threads(1)
        .jvmArgs(env("JMH_JVM_ARGS", "-Xms1g -Xmx1g").trim().split("\\s+"))
        .resultFormat(ResultFormatType.JSON)
        .result(json.toString());
    Collection<RunResult> results = new Runner(opts.build()).run();
    String table = table(results);
    System.out.println();
    System.out.print(table);
    Files.writeString(out.resolve("jmh.txt"), table, StandardCharsets.UTF_8);
    System.out.println("JMH results: " + json + ", table: " + out.resolve("jmh.txt"));
  }

  static String table(Collection<RunResult> results) {
    StringBuilder sb = new StringBuilder();
    String fmt = "%-24s %-8s %28s %28s %9s%n";
    sb.append(String.format(Locale.ROOT, fmt, "benchmark", "unit", "reference", "ours", "ours/ref"));
    List<String> missing = new ArrayList<>();
    for (Row row : ROWS) {
      Result<?> ours = find(results, row.cls(), "ours", row.doc(), row.unit());
      Result<?> ref = find(results, row.cls(), row.ref(), row.doc(), row.unit());
      if (ours == null || ref == null) {
        missing.add(row.label());
        continue;
      }
      sb.append(String.format(Locale.ROOT, fmt, row.label(), row.unit(), num(ref), num(ours),
          ratio(ours.getScore() / ref.getScore())));
    }
    if (!missing.isEmpty()) sb.append("(not run: ").append(String.join(", ", missing)).append(")\n");
    sb.append("ops/s are JMH means ± 99.9% confidence half-width; ours/ref is ours as a share of the reference's rate "
        + "(> 1: ours is faster; 0.25: ours costs 4 times as much).\n");
    return sb.toString();
  }

  private static Result<?> find(Collection<RunResult> results, String cls, String method, String doc, String unit) {
    for (RunResult r : results) {
      var p = r.getParams();
      if (!p.getBenchmark().endsWith("." + cls + "." + method) || !doc.equals(p.getParam("doc"))) continue;
      return "steps/s".equals(unit) ? r.getSecondaryResults().get("steps") : r.getPrimaryResult();
    }
    return null;
  }

  private static String ratio(double r) {
    return r >= 0.1 ? String.format(Locale.ROOT, "%.2f", r) : String.format(Locale.ROOT, "%.4f", r);
  }

  private static String num(Result<?> r) {
    double err = r.getScoreError();
    return Double.isNaN(err)
        ? String.format(Locale.ROOT, "%,.0f", r.getScore())
        : String.format(Locale.ROOT, "%,.0f ± %,.0f", r.getScore(), err);
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }
}
