package io.openvoice.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.openvoice.node.Main;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Parked calls at scale in one node (ops/bench/parked.sh): a real node in this JVM (embedded H2, persistence on,
 * sharding with remembered entities, SIP off), an app with no flow, and N simulated inbound calls started over REST
 * that park until XML is pushed to them (park timeout raised to 2 h). For each step of the ramp: the time to create
 * the calls, the heap after full collections against the same node with no calls, the RSS, and the node's own
 * count of live calls; then all are hung up. The reference, in the same JVM first: the heap of one idle Pekko actor.
 *
 * <p>Arguments: the output directory. Environment: N (100000), RAMP (10000,50000 and N), CONCURRENCY (32 requests
 * in flight), WARMUP (2000 calls created and hung up before the baseline).
 */
public final class ParkedCalls {
  private static final String ADMIN = "bench@example.com";
  private static final String PASSWORD = "bench-password-1";

  static {
    // the node's own start-up settings (Main's static initializer: the common pool gets at least two threads, else
    // every dependent stage of a Pekko ask starts a thread) must come before anything here touches that pool
    try {
      Class.forName(Main.class.getName(), true, ParkedCalls.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private record Row(int live, int created, double seconds, long heap, long rss) {}

  private ParkedCalls() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench").toAbsolutePath();
    int n = Integer.parseInt(env("N", "100000"));
    List<Integer> ramp = ramp(n, env("RAMP", ""));
    int concurrency = Integer.parseInt(env("CONCURRENCY", "32"));
    int warmup = Integer.parseInt(env("WARMUP", "2000"));
    Path data = out.resolve("parked-data");
    deleteTree(data);
    Files.createDirectories(data);
    StringBuilder report = new StringBuilder();

    log("reference: %,d idle Pekko typed actors", n);
    double perActor = ActorReference.bytesPerActor(n);
    log("reference: %,.0f bytes of heap per idle actor", perActor);

    log("starting the node (data in %s)", data);
    Main.Node node = Main.start(nodeConfig(data)).toCompletableFuture().get(120, TimeUnit.SECONDS);
    try {
      RestDriver rest = new RestDriver("http://127.0.0.1:" + node.http().getPort(), concurrency, n + warmup);
      rest.login(ADMIN, PASSWORD);
      String app = rest.parkingApp("parked-bench");
      log("warm-up: %,d calls created and hung up", warmup);
      rest.createUpTo(app, warmup);
      awaitLive(rest, warmup - rest.failures.get());
      rest.hangUpAll();
      awaitLive(rest, 0);
      RestDriver calls = new RestDriver("http://127.0.0.1:" + node.http().getPort(), concurrency, n);
      calls.login(ADMIN, PASSWORD);
      long baseline = Heap.usedAfterGc();
      long baselineRss = Heap.rss();
      log("baseline: heap %s after GC, RSS %s, max heap %s", Heap.mib(baseline), Heap.mib(baselineRss),
          Heap.mib(Heap.max()));

      List<Row> rows = new ArrayList<>();
      long gcDuring = 0; // collections while calls were being created (not the full ones of the measurements)
      long t0 = System.nanoTime();
      int done = 0;
      for (int target : ramp) {
        log("creating calls %,d..%,d", done + 1, target);
        long s = System.nanoTime();
        long gc = gcMillis();
        calls.createUpTo(app, target);
        double secs = (System.nanoTime() - s) / 1e9;
        gcDuring += gcMillis() - gc;
        int live = awaitLive(calls, target - calls.failures.get());
        rows.add(new Row(live, target - done, secs, Heap.usedAfterGc(), Heap.rss()));
        log("%,d live; step took %.1f s", live, secs);
        done = target;
      }
      double createSecs = (System.nanoTime() - t0) / 1e9;
      String histogram = Heap.classHistogram();
      Files.writeString(out.resolve("parked-histogram.txt"), histogram, StandardCharsets.UTF_8);
      Map<String, Double> m = calls.metrics();

      log("hanging up %,d calls", calls.created);
      long h = System.nanoTime();
      calls.hangUpAll();
      double hangupSecs = (System.nanoTime() - h) / 1e9;
      int left = awaitLive(calls, 0);
      long after = Heap.usedAfterGc();
      String afterHistogram = Heap.classHistogram();
      Files.writeString(out.resolve("parked-histogram-after.txt"), afterHistogram, StandardCharsets.UTF_8);

      report.append(table(rows, baseline, baselineRss, perActor));
      report.append(String.format(Locale.ROOT, "%nall %,d calls created in %.1f s (%,.0f calls/s, including the waits "
              + "for the node to count them live); GC time while creating %,d ms; %d requests failed%s%n",
          done, createSecs, done / createSecs, gcDuring, calls.failures.get(),
          calls.lastFailure.get() == null ? "" : " (last: " + calls.lastFailure.get() + ")"));
      report.append(String.format(Locale.ROOT, "node's own count at the peak: node_live_calls %.0f, cluster_live_calls "
              + "%.0f, Call entities running %.0f%n", m.getOrDefault("openvoice_node_live_calls", -1.0),
          m.getOrDefault("openvoice_cluster_live_calls", -1.0), callEntities(m)));
      Row peak = rows.get(rows.size() - 1);
      report.append(String.format(Locale.ROOT, "max heap %s; heap in use after GC at %,d calls %s: %s%n",
          Heap.mib(Heap.max()), peak.live(), Heap.mib(peak.heap()),
          peak.heap() < Heap.max() && peak.live() >= n - calls.failures.get() ? "FITS" : "DOES NOT FIT"));
      report.append(String.format(Locale.ROOT, "hang-up of all: %.1f s (%,.0f calls/s); live calls left %d; heap "
          + "after GC %s (baseline %s)%n", hangupSecs, calls.created / hangupSecs, left, Heap.mib(after),
          Heap.mib(baseline)));
      report.append("\ntop of the class histogram at the peak (live objects; whole file: parked-histogram.txt):\n");
      histogram.lines().limit(28).forEach(l -> report.append(l).append('\n'));
      report.append("\ntop of the class histogram after the hang-up (whole file: parked-histogram-after.txt):\n");
      afterHistogram.lines().limit(14).forEach(l -> report.append(l).append('\n'));
    } finally {
      node.system().terminate();
      node.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    System.out.println();
    System.out.print(report);
    Files.writeString(out.resolve("parked.txt"), report, StandardCharsets.UTF_8);
    System.out.println("written: " + out.resolve("parked.txt") + ", " + out.resolve("parked-histogram.txt"));
    System.exit(0);
  }

  static String table(List<Row> rows, long baseline, long baselineRss, double perActor) {
    StringBuilder sb = new StringBuilder();
    String fmt = "%10s %10s %9s %9s %12s %11s %12s %10s %12s%n";
    sb.append(String.format(Locale.ROOT, fmt, "live calls", "created", "time s", "calls/s", "heap (GC'd)",
        "heap/call", "ref heap/actor", "call/actor", "RSS"));
    sb.append(String.format(Locale.ROOT, fmt, "0", "-", "-", "-", Heap.mib(baseline), "-",
        String.format(Locale.ROOT, "%,.0f B", perActor), "-", Heap.mib(baselineRss)));
    for (Row r : rows) {
      double perCall = r.live() == 0 ? 0 : (r.heap() - baseline) / (double) r.live();
      sb.append(String.format(Locale.ROOT, fmt, String.format(Locale.ROOT, "%,d", r.live()),
          String.format(Locale.ROOT, "%,d", r.created()), String.format(Locale.ROOT, "%.1f", r.seconds()),
          String.format(Locale.ROOT, "%,.0f", r.created() / r.seconds()), Heap.mib(r.heap()),
          String.format(Locale.ROOT, "%,.0f B", perCall), String.format(Locale.ROOT, "%,.0f B", perActor),
          String.format(Locale.ROOT, "%.1f", perCall / perActor), Heap.mib(r.rss())));
    }
    sb.append("heap/call = (heap after full GC - heap of the same node with 0 calls) / live calls; the reference is the "
        + "heap of one idle Pekko typed actor in the same JVM.\n");
    return sb.toString();
  }

  /** Waits until the node counts {@code expected} live calls (its event-fed view and its Call entities). */
  private static int awaitLive(RestDriver rest, int expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    int live = -1;
    while (System.nanoTime() < deadline) {
      Map<String, Double> m = rest.metrics();
      live = (int) Math.round(m.getOrDefault("openvoice_node_live_calls", -1.0));
      int entities = (int) Math.round(callEntities(m));
      if (live == expected && (entities == expected || entities < 0)) return live;
      Heap.sleep(500);
    }
    log("warning: the node counts %,d live calls, %,d expected", live, expected);
    return live;
  }

  private static double callEntities(Map<String, Double> m) {
    return m.entrySet().stream().filter(e -> e.getKey().startsWith("openvoice_shard_entities{")
        && e.getKey().contains("\"Call\"")).mapToDouble(Map.Entry::getValue).findFirst().orElse(-1);
  }

  private static Config nodeConfig(Path data) {
    String dir = data.toString().replace("\\", "/");
    Config overrides = ConfigFactory.parseString("""
        openvoice.data-dir = "%s"
        openvoice.http.port = 0
        openvoice.http.interface = "127.0.0.1"
        openvoice.auth.admin-email = "%s"
        openvoice.auth.admin-password = "%s"
        openvoice.sip.enabled = false
        # parked calls wait for pushed XML far longer than the benchmark runs
        openvoice.call.park-timeout = 2h
        # the account limits (200 calls/s, 5000 live by default) are not what is measured here
        openvoice.limits.default-cps = 1000000
        openvoice.limits.default-concurrent-calls = 1000000
        pekko.remote.artery.canonical.port = 0
        pekko.management.http.port = 0
        pekko.loglevel = WARNING
        pekko-persistence-jdbc.shared-databases.slick.db.url = "jdbc:h2:file:%s/h2/openvoice;DB_CLOSE_DELAY=-1;DATABASE_TO_UPPER=false"
        pekko-persistence-jdbc.shared-databases.slick.db.user = "sa"
        pekko-persistence-jdbc.shared-databases.slick.db.password = ""
        """.formatted(dir, ADMIN, PASSWORD, dir));
    return ConfigFactory.load(overrides.withFallback(ConfigFactory.parseResources("application.conf")));
  }

  static List<Integer> ramp(int n, String spec) {
    TreeSet<Integer> steps = new TreeSet<>();
    if (spec.isBlank()) {
      for (int s : new int[] {10_000, 50_000}) if (s < n) steps.add(s);
    } else {
      for (String s : spec.split(",")) if (!s.isBlank() && Integer.parseInt(s.trim()) < n) steps.add(Integer.parseInt(s.trim()));
    }
    steps.add(n);
    return new ArrayList<>(steps);
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }

  private static void deleteTree(Path p) throws Exception {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  private static void log(String fmt, Object... args) {
    System.out.printf(Locale.ROOT, "[parked %tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, fmt, args));
  }
}
