package io.openvoice.sip;

import com.typesafe.config.Config;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;

/** The {@code openvoice.sip} block: where the edge listens, what it advertises, its limits and media settings. */
public record SipSettings(boolean enabled, String bind, int port, String publicAddress, List<String> transports,
                          int maxCalls, int maxSetupsInProgress, int rtpPortMin, int rtpPortMax, boolean symmetricRtp, String ttsBinary,
                          int ttsCacheEntries, Tls tls) {

  /**
   * SIP over TLS ({@code openvoice.sip.tls}), used when {@code transports} holds "tls": its own port (TLS runs over
   * TCP, so it cannot share the TCP port), the key store with the edge's certificate, the trust store for peers'
   * certificates ("" = the JVM's), and whether phones must present a certificate (Disabled, Want, Enabled).
   */
  public record Tls(int port, String keyStore, String keyStorePassword, String keyStoreType, String trustStore,
                    String trustStorePassword, String clientAuth) {}

  public static SipSettings from(Config c) {
    String bind = c.getString("bind");
    String advertised = c.getString("public-address");
    if (advertised.isBlank()) advertised = defaultAddress(bind);
    Config t = c.getConfig("tls");
    Tls tls = new Tls(t.getInt("port"), t.getString("key-store"), t.getString("key-store-password"),
        t.getString("key-store-type"), t.getString("trust-store"), t.getString("trust-store-password"),
        t.getString("client-auth"));
    String fromEnv = c.hasPath("transports-env") ? c.getString("transports-env") : "";
    List<String> transports = (fromEnv.isBlank() ? c.getStringList("transports") : List.of(fromEnv.split(",")))
        .stream().map(x -> x.trim().toLowerCase(java.util.Locale.ROOT)).filter(x -> !x.isEmpty()).toList();
    for (String x : transports) {
      if (!List.of("udp", "tcp", "tls").contains(x)) {
        throw new IllegalArgumentException("openvoice.sip.transports: unknown transport " + x + " (udp, tcp, tls)");
      }
    }
    if (transports.contains("tls")) {
      if (tls.keyStore().isBlank() || !java.nio.file.Files.isReadable(java.nio.file.Path.of(tls.keyStore()))) {
        throw new IllegalArgumentException("openvoice.sip.tls.key-store (SIP_TLS_KEYSTORE) must name a readable "
            + "key store when transports include tls; got '" + tls.keyStore() + "'");
      }
      if (!List.of("Disabled", "Want", "Enabled").contains(tls.clientAuth())) {
        throw new IllegalArgumentException("openvoice.sip.tls.client-auth must be Disabled, Want or Enabled");
      }
      if (tls.port() == c.getInt("port")) {
        throw new IllegalArgumentException("openvoice.sip.tls.port must differ from openvoice.sip.port (TLS runs over TCP)");
      }
    }
    return new SipSettings(c.getBoolean("enabled"), bind, c.getInt("port"), advertised,
        transports, c.getInt("max-calls"), c.getInt("max-setups-in-progress"), c.getInt("rtp.port-min"), c.getInt("rtp.port-max"),
        c.getBoolean("rtp.symmetric"), c.getString("tts.binary"), c.getInt("tts.cache-entries"), tls);
  }

  /** The port a transport listens on: the TLS port for "tls", the SIP port otherwise. */
  public int portOf(String transport) {
    return "tls".equalsIgnoreCase(transport) ? tls.port() : port;
  }

  /** The bound address when it is a specific one, else the first non-loopback IPv4 of the machine, else loopback. */
  static String defaultAddress(String bind) {
    if (!bind.equals("0.0.0.0") && !bind.equals("::")) return bind;
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!ni.isUp() || ni.isLoopback()) continue;
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLinkLocalAddress()) return a.getHostAddress();
        }
      }
    } catch (Exception e) {
      // fall through to loopback
    }
    return "127.0.0.1";
  }
}
