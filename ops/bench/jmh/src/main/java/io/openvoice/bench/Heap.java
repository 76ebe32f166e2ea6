package io.openvoice.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/** Heap after a full collection, the process's resident set, and the class histogram, all from inside the JVM. */
final class Heap {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private Heap() {}

  /**
   * Bytes of heap in use after full collections: {@code System.gc()} is a full, stop-the-world collection with G1
   * (the JVM default, unless -XX:+ExplicitGCInvokesConcurrent). Collected until the figure settles (objects with
   * finalizers or cleaners need a second pass).
   */
  static long usedAfterGc() {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      sleep(200);
      long used = MEMORY.getHeapMemoryUsage().getUsed();
      if (Math.abs(last - used) < 256 * 1024) return used;
      last = used;
    }
    return last;
  }

  static long max() {
    return MEMORY.getHeapMemoryUsage().getMax();
  }

  /** The resident set size of this process (VmRSS), or -1 where /proc is not there. */
  static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }

  /** The live-object class histogram ({@code jcmd <pid> GC.class_histogram}), through the diagnostic command MBean. */
  static String classHistogram() {
    try {
      Object out = ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      return String.valueOf(out);
    } catch (Exception e) {
      return "class histogram unavailable: " + e;
    }
  }

  static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%,.1f MiB", bytes / 1048576.0);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
