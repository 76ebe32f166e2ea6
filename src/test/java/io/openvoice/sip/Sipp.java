package io.openvoice.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's SIPp (sip-tester) on loopback with a scenario from ops/sipp, and reports what it said. */
final class Sipp {
  static final Path SCENARIOS = Path.of("ops", "sipp").toAbsolutePath();
  static final Path PCAPS = Path.of("/usr/share/sip-tester");

  /** What SIPp printed and reported; {@code logs}: what the scenario wrote with {@code <log>} (server mode). */
  record Result(int exit, String output, String logs) {
    boolean allCallsSucceeded() {
      return exit == 0;
    }
  }

  static boolean installed() {
    return Files.isExecutable(Path.of("/usr/bin/sipp"));
  }

  /** A scenario with {@code [name]} placeholders that SIPp cannot substitute itself (e.g. in recv) filled in. */
  static Path scenario(String file, String... replacements) throws IOException {
    String xml = Files.readString(SCENARIOS.resolve(file), StandardCharsets.ISO_8859_1);
    for (int i = 0; i + 1 < replacements.length; i += 2) xml = xml.replace(replacements[i], replacements[i + 1]);
    Path out = Files.createTempFile("sipp-", ".xml");
    Files.writeString(out, xml, StandardCharsets.ISO_8859_1);
    return out;
  }

  /**
   * Runs {@code calls} calls of the scenario against 127.0.0.1:{@code port}, dialling {@code service}; keys are
   * {@code -key} pairs. Stops by itself: SIPp's own -timeout and a process deadline.
   */
  static Result run(Path scenario, int port, String service, int calls, double rate, int timeoutSeconds,
                    String... keys) throws Exception {
    Path work = Files.createTempDirectory("sipp-run");
    Files.createSymbolicLink(work.resolve("pcap"), PCAPS);
    // a "-p" among the keys chooses the local port (e.g. a phone registering from the port it will answer on)
    String localPort = List.of(keys).contains("-p") ? null : String.valueOf(freeUdpPort());
    List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", scenario.toString(), "-s", service,
        "127.0.0.1:" + port, "-i", "127.0.0.1", "-mi", "127.0.0.1"));
    if (localPort != null) cmd.addAll(List.of("-p", localPort));
    cmd.addAll(List.of(
        "-mp", String.valueOf(freeUdpPort()), "-m", String.valueOf(calls), "-r", String.valueOf(rate),
        "-timeout", timeoutSeconds + "s", "-timeout_error", "-nostdin", "-trace_err",
        "-error_file", work.resolve("errors.log").toString()));
    addKeys(cmd, keys);
    return new Running(new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve("out.log").toFile()).start(), work, timeoutSeconds).await();
  }

  /**
   * Starts a SIPp phone in server mode on 127.0.0.1:{@code port} (it answers what the scenario expects) and
   * returns at once; {@link Running#await()} waits for its {@code calls} calls to end.
   */
  static Running serve(Path scenario, int port, int calls, int timeoutSeconds, String... keys) throws Exception {
    Path work = Files.createTempDirectory("sipp-uas");
    Files.createSymbolicLink(work.resolve("pcap"), PCAPS);
    List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", scenario.toString(), "-i", "127.0.0.1",
        "-mi", "127.0.0.1", "-p", String.valueOf(port), "-mp", String.valueOf(freeUdpPort()),
        "-m", String.valueOf(calls), "-timeout", timeoutSeconds + "s", "-timeout_error", "-nostdin", "-trace_err",
        "-error_file", work.resolve("errors.log").toString(), "-trace_logs",
        "-log_file", work.resolve("scenario.log").toString()));
    addKeys(cmd, keys);
    return new Running(new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve("out.log").toFile()).start(), work, timeoutSeconds);
  }

  /** {@code name, value} pairs: {@code -key name value}, or a SIPp option itself when the name starts with '-'. */
  private static void addKeys(List<String> cmd, String... keys) {
    for (int i = 0; i + 1 < keys.length; i += 2) {
      if (!keys[i].startsWith("-")) cmd.add("-key");
      cmd.add(keys[i]);
      cmd.add(keys[i + 1]);
    }
  }

  /** A SIPp process; stops by itself (its -timeout, then a deadline here). */
  record Running(Process process, Path work, int timeoutSeconds) {
    Result await() throws InterruptedException {
      if (!process.waitFor(timeoutSeconds + 30L, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "SIPp did not stop\n" + read(work.resolve("out.log")), read(work.resolve("scenario.log")));
      }
      return new Result(process.exitValue(), read(work.resolve("out.log")) + read(work.resolve("errors.log")),
          read(work.resolve("scenario.log")));
    }
  }

  /**
   * A free UDP port on loopback, outside 40000-49999: the tests give their nodes RTP ranges there, and a SIPp
   * socket on one of those ports would take it from a node's range.
   */
  static int freeUdpPort() throws IOException {
    while (true) {
      try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        int port = s.getLocalPort();
        if (port < 40000 || port > 49999) return port;
      }
    }
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
