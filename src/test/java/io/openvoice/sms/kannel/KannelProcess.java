package io.openvoice.sms.kannel;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Kannel (bearerbox + smsbox + fakesmsc from Debian's kannel and kannel-extras) on free loopback ports,
 * started and stopped with ops/kannel/start.sh and stop.sh. The boxes are bound to this JVM (start.sh's watchdog
 * stops them when it ends) and to ten minutes at most.
 */
final class KannelProcess implements AutoCloseable {
  static final Path OPS = Path.of("ops", "kannel").toAbsolutePath();
  static final Path FAKESMSC = Path.of("/usr/lib/kannel/test/fakesmsc");
  private static final Pattern GOT = Pattern.compile("Got message \\d+: <(\\S+) (\\S+) (\\S+) ?(.*)>");

  final Path dir;
  final int adminPort;
  final int smsboxPort;
  final int sendsmsPort;
  final int fakePort;
  final String username = "openvoice";
  final String password = "s3cret-pw";
  final String token;
  private boolean started;

  /** What the fake SMSC received: one line of fakesmsc's log. */
  record Delivered(String from, String to, String type, String data) {
    /**
     * The text: "ucs-2" is url-encoded UTF-16BE; "text" (and url-encoded "data") is Kannel's internal form of a
     * coding-0 message, UTF-8 (the driver of a real SMSC packs it into GSM 03.38).
     */
    String text() {
      return switch (type) {
        case "ucs-2" -> new String(urlBytes(data), StandardCharsets.UTF_16BE);
        case "data" -> new String(urlBytes(data), StandardCharsets.UTF_8);
        default -> new String(data.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
      };
    }
  }

  static boolean installed() {
    return Files.isExecutable(Path.of("/usr/sbin/bearerbox")) && Files.isExecutable(Path.of("/usr/sbin/smsbox"))
        && Files.isExecutable(FAKESMSC);
  }

  KannelProcess(String token) throws IOException {
    this.token = token;
    this.dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kannel-");
    int[] ports = freePorts(4);
    this.adminPort = ports[0];
    this.smsboxPort = ports[1];
    this.sendsmsPort = ports[2];
    this.fakePort = ports[3];
  }

  String sendsmsUrl() {
    return "http://127.0.0.1:" + sendsmsPort + "/cgi-bin/sendsms";
  }

  /** Runs start.sh (bounded) with the fake SMSC, Kannel's callbacks going to {@code platformUrl}. */
  void start(String platformUrl) throws IOException, InterruptedException {
    started = true;
    String out = run(List.of(OPS.resolve("start.sh").toString(), "--dir", dir.toString(),
        "--admin-port", Integer.toString(adminPort), "--smsbox-port", Integer.toString(smsboxPort),
        "--sendsms-port", Integer.toString(sendsmsPort), "--fake-port", Integer.toString(fakePort),
        "--platform-url", platformUrl, "--username", username, "--password", password, "--token", token,
        "--fakesmsc", "--watch-pid", Long.toString(ProcessHandle.current().pid()), "--max-lifetime", "600"),
        Duration.ofSeconds(90));
    if (!out.contains("KANNEL_SENDSMS_URL=")) throw new IOException("ops/kannel/start.sh said: " + out);
  }

  /** Sends one line to the fake SMSC, which hands it to bearerbox as an inbound message. */
  void inject(String line) throws IOException {
    try (OutputStream fifo = Files.newOutputStream(dir.resolve("fakesmsc.in"))) {
      fifo.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Waits for the fake SMSC to have received a message to {@code to} whose text satisfies the check. */
  Optional<Delivered> awaitDelivered(String to, java.util.function.Predicate<Delivered> check, Duration within)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    do {
      for (Delivered d : delivered()) {
        if (d.to().equals(to) && check.test(d)) return Optional.of(d);
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }

  List<Delivered> delivered() throws IOException {
    List<Delivered> out = new ArrayList<>();
    Path log = dir.resolve("fakesmsc.log");
    if (!Files.exists(log)) return out;
    for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
      Matcher m = GOT.matcher(line);
      if (m.find()) out.add(new Delivered(m.group(1), m.group(2), m.group(3), m.group(4)));
    }
    return out;
  }

  /** Stops the fake SMSC client only (bearerbox then has no SMSC connected). */
  void stopFakeSmsc() throws IOException, InterruptedException {
    long pid = Long.parseLong(Files.readString(dir.resolve("fakesmsc.pid")).trim());
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    Files.deleteIfExists(dir.resolve("fakesmsc.pid"));
    // bearerbox notices the closed connection at once; give it a moment to mark the SMSC as reconnecting
    Thread.sleep(1000);
  }

  String log(String name) {
    try {
      return Files.readString(dir.resolve(name), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "(no " + name + ")";
    }
  }

  @Override
  public void close() throws IOException {
    if (started) {
      started = false;
      try {
        run(List.of(OPS.resolve("stop.sh").toString(), "--dir", dir.toString()), Duration.ofSeconds(60));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping Kannel", e);
      }
    }
  }

  private static String run(List<String> command, Duration bound) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(bound.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command.get(0) + " did not finish within " + bound);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) throw new IOException(command.get(0) + " failed (" + p.exitValue() + "): " + out);
    return out;
  }

  static int[] freePorts(int n) throws IOException {
    ServerSocket[] sockets = new ServerSocket[n];
    int[] ports = new int[n];
    try {
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) if (s != null) s.close();
    }
    return ports;
  }

  static byte[] urlBytes(String s) {
    return URLDecoder.decode(s, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
  }
}
