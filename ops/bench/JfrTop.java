import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples fall: the top methods by own samples (the frame on top of the stack), and the
 * top platform methods (the first io.openvoice frame of each stack, i.e. which of our code paths the time is spent
 * under). Run: {@code java ops/bench/JfrTop.java <recording.jfr> [n]}; prints Markdown tables.
 */
public final class JfrTop {
  public static void main(String[] args) throws Exception {
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> ours = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> components = new HashMap<>();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) continue;
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (frames.isEmpty()) continue;
      total++;
      self.merge(name(frames.get(0)), 1, Integer::sum);
      components.merge(component(frames.get(0).getMethod().getType().getName()), 1, Integer::sum);
      String mine = "(no io.openvoice frame)";
      for (RecordedFrame f : frames) {
        if (f.getMethod().getType().getName().startsWith("io.openvoice.")) { mine = name(f); break; }
      }
      ours.merge(mine, 1, Integer::sum);
      String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
      threads.merge(thread == null ? "?" : thread.replaceAll("-?\\d+$", "-N"), 1, Integer::sum);
    }
    System.out.println("CPU samples: " + total);
    print("Components (by the frame on top of the stack)", components, total, 8);
    print("Top methods by own samples", self, total, n);
    print("Top platform code paths (first io.openvoice frame on the stack)", ours, total, n);
    print("Top threads (numbers folded)", threads, total, n);
  }

  private static String component(String type) {
    if (type.startsWith("io.openvoice.")) return "platform (io.openvoice)";
    if (type.startsWith("org.h2.")) return "H2 database";
    if (type.startsWith("org.postgresql.")) return "PostgreSQL driver";
    if (type.startsWith("com.zaxxer.") || type.startsWith("slick.")) return "JDBC pool / Slick";
    if (type.startsWith("org.apache.pekko.")) return "Pekko";
    if (type.startsWith("com.fasterxml.jackson.")) return "Jackson";
    if (type.startsWith("gov.nist.") || type.startsWith("javax.sip.") || type.startsWith("android.gov.nist.")) return "JAIN-SIP";
    if (type.startsWith("scala.")) return "Scala library";
    if (type.startsWith("ch.qos.logback.") || type.startsWith("org.slf4j.")) return "logging";
    if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("javax.")) return "JDK";
    return type.replaceAll("^((?:[a-z0-9_]+\\.){1,2}).*", "$1*");
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void print(String title, Map<String, Integer> counts, int total, int n) {
    System.out.println();
    System.out.println("| " + title + " | samples | share |");
    System.out.println("|---|---:|---:|");
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
        .forEach(en -> System.out.printf("| `%s` | %d | %.1f %% |%n", en.getKey(), en.getValue(),
            100.0 * en.getValue() / Math.max(1, total)));
  }
}
