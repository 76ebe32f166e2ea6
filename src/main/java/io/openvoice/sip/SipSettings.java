package io.openvoice.sip;

import com.typesafe.config.Config;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;

/** The {@code openvoice.sip} block: where the edge listens, what it advertises, its limits and media settings. */
public record SipSettings(boolean enabled, String bind, int port, String publicAddress, List<String> transports,
                          int maxCalls, int rtpPortMin, int rtpPortMax, boolean symmetricRtp, String ttsBinary,
                          int ttsCacheEntries) {

  public static SipSettings from(Config c) {
    String bind = c.getString("bind");
    String advertised = c.getString("public-address");
    if (advertised.isBlank()) advertised = defaultAddress(bind);
    return new SipSettings(c.getBoolean("enabled"), bind, c.getInt("port"), advertised,
        c.getStringList("transports"), c.getInt("max-calls"), c.getInt("rtp.port-min"), c.getInt("rtp.port-max"),
        c.getBoolean("rtp.symmetric"), c.getString("tts.binary"), c.getInt("tts.cache-entries"));
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
