package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.node.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIP over TLS: a node with a TLS listening point (certificate made with the JDK's keytool for 127.0.0.1) is
 * reached by a JDK TLS client that checks the certificate against that name; OPTIONS is answered, an unknown
 * number gets 404, and a whole call (INVITE, 200 with our TLS Contact, ACK, the node's BYE) runs over the one
 * TLS connection.
 */
class SipTlsTest {
  static final String PASSWORD = "tls-test-pass";
  static final long TN = 12025550165L;

  static TestNode node;
  static int tlsPort;
  static SSLContext client;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("openvoice-tls");
    Path keyStore = dir.resolve("edge.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "edge", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
        "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "pkcs12", "-keystore", keyStore.toString(),
        "-storepass", PASSWORD).redirectErrorStream(true).start();
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
    assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

    int sipPort = Sipp.freeUdpPort();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      tlsPort = s.getLocalPort();
    }
    node = SipTestNodes.start("tls", sipPort, 47000, """
        openvoice.sip.transports = ["udp", "tls"]
        openvoice.sip.tls.port = %d
        openvoice.sip.tls.key-store = "%s"
        openvoice.sip.tls.key-store-password = "%s"
        """.formatted(tlsPort, keyStore.toString().replace("\\", "/"), PASSWORD), new java.util.ArrayList<>());
    SipTestNodes.numberWithFlow(node, TN, "tls-flow", "<Response><Answer/><Pause length=\"500\"/><Hangup/></Response>");

    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      trusted.load(in, PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void optionsOverTlsIsAnsweredWithTheCertificateCheckedAgainstTheNodesAddress() throws Exception {
    try (SSLSocket s = connect()) {
      send(s, request("OPTIONS", "sip:127.0.0.1:" + tlsPort, s, UUID.randomUUID().toString(), 1, ""));
      assertEquals(200, status(read(s.getInputStream())));
    }
  }

  @Test
  void anInviteOverTlsToAnUnknownNumberIs404() throws Exception {
    try (SSLSocket s = connect(); DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      send(s, request("INVITE", "sip:12025550199@127.0.0.1:" + tlsPort, s, UUID.randomUUID().toString(), 1,
          sdp(rtp.getLocalPort())));
      assertEquals(404, finalStatus(s.getInputStream()));
    }
  }

  @Test
  void aWholeCallRunsOverOneTlsConnectionAndTheNodesContactNamesTls() throws Exception {
    try (SSLSocket s = connect(); DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      String callId = UUID.randomUUID().toString();
      String invite = request("INVITE", "sip:" + TN + "@127.0.0.1:" + tlsPort, s, callId, 1, sdp(rtp.getLocalPort()));
      send(s, invite);
      Map<String, String> ok = null;
      while (ok == null) {
        Map<String, String> r = read(s.getInputStream());
        int st = status(r);
        if (st >= 200) {
          assertEquals(200, st, r.toString());
          ok = r;
        }
      }
      String contact = ok.get("contact");
      assertTrue(contact.contains("transport=tls") && contact.contains(":" + tlsPort), "our Contact: " + contact);
      assertTrue(ok.get("body").contains("m=audio "), ok.toString());
      String toTag = ok.get("to");
      send(s, "ACK sip:" + TN + "@127.0.0.1:" + tlsPort + " SIP/2.0\r\n"
          + via(s) + "Max-Forwards: 70\r\nFrom: <sip:+12015550123@127.0.0.1>;tag=tls1\r\nTo: " + toTag + "\r\n"
          + "Call-ID: " + callId + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
      // the flow hangs up after its Pause: the node's BYE comes back over the same connection
      Map<String, String> bye = read(s.getInputStream());
      assertTrue(bye.get("start").startsWith("BYE "), bye.toString());
      assertEquals(callId, bye.get("call-id"));
      send(s, "SIP/2.0 200 OK\r\nVia: " + bye.get("via") + "\r\nFrom: " + bye.get("from") + "\r\nTo: " + bye.get("to")
          + "\r\nCall-ID: " + callId + "\r\nCSeq: " + bye.get("cseq") + "\r\nContent-Length: 0\r\n\r\n");
    }
  }

  private static SSLSocket connect() throws IOException {
    SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", tlsPort);
    SSLParameters params = s.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name 127.0.0.1
    s.setSSLParameters(params);
    s.setSoTimeout(20_000);
    s.startHandshake();
    return s;
  }

  private static String request(String method, String uri, SSLSocket s, String callId, int cseq, String body) {
    return method + " " + uri + " SIP/2.0\r\n" + via(s)
        + "Max-Forwards: 70\r\n"
        + "From: <sip:+12015550123@127.0.0.1>;tag=tls1\r\n"
        + "To: <" + uri + ">\r\n"
        + "Call-ID: " + callId + "\r\n"
        + "CSeq: " + cseq + " " + method + "\r\n"
        + "Contact: <sip:tls-client@127.0.0.1:" + s.getLocalPort() + ";transport=tls>\r\n"
        + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  private static String via(SSLSocket s) {
    return "Via: SIP/2.0/TLS 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK" + UUID.randomUUID().toString()
        .replace("-", "") + ";rport\r\n";
  }

  private static String sdp(int rtpPort) {
    return "v=0\r\no=tls 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        + "m=audio " + rtpPort + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
        + "a=ptime:20\r\n";
  }

  private static void send(SSLSocket s, String message) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(message.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static int finalStatus(InputStream in) throws IOException {
    while (true) {
      int st = status(read(in));
      if (st >= 200) return st;
    }
  }

  private static int status(Map<String, String> m) {
    String start = m.get("start");
    assertTrue(start.startsWith("SIP/2.0 "), "not a response: " + m);
    return Integer.parseInt(start.substring(8, 11));
  }

  /** One SIP message from a stream: "start" (the first line), headers by lower-case name, "body". */
  private static Map<String, String> read(InputStream in) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    String line;
    do {
      line = line(in); // skip keep-alive CRLFs between messages
    } while (line.isEmpty());
    m.put("start", line);
    while (!(line = line(in)).isEmpty()) {
      int colon = line.indexOf(':');
      m.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(m.getOrDefault("content-length", m.getOrDefault("l", "0")));
    m.put("body", new String(in.readNBytes(length), StandardCharsets.UTF_8));
    return m;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') if (c != '\r') b.write(c);
    if (c == -1 && b.size() == 0) throw new IOException("the node closed the TLS connection");
    return b.toString(StandardCharsets.UTF_8);
  }
}
