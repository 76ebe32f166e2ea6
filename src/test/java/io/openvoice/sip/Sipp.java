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

  record Result(int exit, String output) {
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
    List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", scenario.toString(), "-s", service,
        "127.0.0.1:" + port, "-i", "127.0.0.1", "-mi", "127.0.0.1", "-p", String.valueOf(freeUdpPort()),
        "-mp", String.valueOf(freeUdpPort()), "-m", String.valueOf(calls), "-r", String.valueOf(rate),
        "-timeout", timeoutSeconds + "s", "-timeout_error", "-nostdin", "-trace_err",
        "-error_file", work.resolve("errors.log").toString()));
    for (int i = 0; i + 1 < keys.length; i += 2) {
      cmd.add("-key");
      cmd.add(keys[i]);
      cmd.add(keys[i + 1]);
    }
    Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve("out.log").toFile()).start();
    if (!p.waitFor(timeoutSeconds + 30L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, "SIPp did not stop\n" + read(work.resolve("out.log")));
    }
    return new Result(p.exitValue(), read(work.resolve("out.log")) + read(work.resolve("errors.log")));
  }

  static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
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
