package io.openvoice.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network ({@code address/prefix}) and a membership test on raw address bytes. IPv4 networks only
 * contain IPv4 addresses and IPv6 networks only IPv6 addresses (the JDK already turns IPv4-mapped {@code ::ffff:a.b.c.d}
 * into IPv4 addresses).
 *
 * <p>Parsing never touches DNS: only dotted-quad IPv4 and colon-form IPv6 literals are accepted. Host bits beyond the
 * prefix are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}); no prefix means a single address.
 */
public final class Cidr {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  private final byte[] network;
  private final int prefix;

  private Cidr(byte[] network, int prefix) {
    this.network = mask(network, prefix);
    this.prefix = prefix;
  }

  /**
   * Parses {@code 10.0.0.0/8}, {@code 192.168.1.7}, {@code fc00::/7}, {@code [::1]/128}, {@code ::ffff:10.0.0.0/104}.
   *
   * @throws IllegalArgumentException when it is not an IP literal with a prefix in range
   */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    if (addr.startsWith("[") && addr.endsWith("]")) addr = addr.substring(1, addr.length() - 1);
    byte[] bytes;
    boolean v6Text;
    if (IPV4.matcher(addr).matches()) {
      bytes = new byte[4];
      String[] parts = addr.split("\\.");
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(parts[i]);
        if (v > 255) throw new IllegalArgumentException("bad IPv4 address in CIDR: " + text);
        bytes[i] = (byte) v;
      }
      v6Text = false;
    } else if (addr.indexOf(':') >= 0 && IPV6.matcher(addr).matches()) {
      try {
        bytes = InetAddress.getByName(addr).getAddress(); // a colon literal is parsed, never looked up
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("bad IPv6 address in CIDR: " + text, e);
      }
      v6Text = true;
    } else {
      throw new IllegalArgumentException("not an IP address or CIDR: " + text);
    }
    int max = bytes.length * 8;
    int p = max;
    if (slash >= 0) {
      try {
        p = Integer.parseInt(s.substring(slash + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in CIDR: " + text, e);
      }
      if (v6Text && bytes.length == 4) { // ::ffff:a.b.c.d/n came back as IPv4
        if (p < 96) throw new IllegalArgumentException("IPv4-mapped CIDR needs a prefix of at least 96: " + text);
        p -= 96;
      }
      if (p < 0 || p > max) throw new IllegalArgumentException("prefix length out of range in CIDR: " + text);
    }
    return new Cidr(bytes, p);
  }

  /** True when {@code address} has the same family and its first {@code prefix} bits equal this network's. */
  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  /** As {@link #contains(InetAddress)} on raw bytes (4 for IPv4, 16 for IPv6). */
  public boolean contains(byte[] address) {
    if (address.length != network.length) return false;
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) return false;
    }
    int rest = prefix % 8;
    if (rest == 0) return true;
    int m = (0xff << (8 - rest)) & 0xff;
    return (address[full] & m) == (network[full] & 0xff);
  }

  public boolean isIpv4() {
    return network.length == 4;
  }

  public int prefix() {
    return prefix;
  }

  private static byte[] mask(byte[] a, int prefix) {
    byte[] r = a.clone();
    for (int i = 0; i < r.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      r[i] = (byte) (r[i] & ((0xff << (8 - bits)) & 0xff));
    }
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
