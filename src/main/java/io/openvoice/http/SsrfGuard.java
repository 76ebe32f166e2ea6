package io.openvoice.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Decides whether an outbound URL may be fetched (server-side request forgery protection).
 *
 * <p>The scheme must be one of {@code allowed-schemes} (http, https). The host is resolved to <em>all</em> its
 * addresses and every one must pass, in this order:
 * <ol>
 *   <li>unspecified ({@code 0.0.0.0}, {@code ::}), multicast and broadcast: always refused, even if in {@code allow};
 *   <li>in a {@code deny} CIDR: refused (deny wins over allow);
 *   <li>in an {@code allow} CIDR: allowed (explicit allow wins over every category below, metadata included);
 *   <li>IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are
 *       judged by that IPv4 address;
 *   <li>cloud metadata endpoints ({@code 169.254.169.254}, {@code 169.254.170.2}, {@code 100.100.100.200},
 *       {@code fd00:ec2::254}): refused whatever the booleans say;
 *   <li>loopback ({@code 127/8}, {@code ::1}): {@code allow-loopback};
 *   <li>link-local ({@code 169.254/16}, {@code fe80::/10}): {@code allow-link-local};
 *   <li>private ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, {@code 100.64/10}, {@code fc00::/7}):
 *       {@code allow-private};
 *   <li>other special-purpose ranges ({@code 0/8}, {@code 240/4}, documentation, benchmarking, {@code 192.0.0/24},
 *       {@code fec0::/10}, {@code 100::/64}, IPv4-compatible {@code ::/96}): refused;
 *   <li>everything else is public: {@code allow-public}.
 * </ol>
 *
 * <p>DNS resolution blocks, so {@link #checkAsync} runs it on the executor it is given (never the caller's thread);
 * {@link #check(URI)} resolves on the calling thread and is only for code that is already on a blocking executor
 * (and for tests). To defeat DNS rebinding the caller must connect to one of {@link CheckedTarget#addresses()}, never
 * resolve the host again; {@link FlowHttpClient} does that.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SsrfGuard {
  /** Where the settings live in the application config. */
  public static final String CONFIG_PATH = "openvoice.http.outbound";

  /** Resolves a host name (or IP literal) to all its addresses. Blocking. */
  @FunctionalInterface
  public interface HostResolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    HostResolver SYSTEM = host -> Arrays.asList(InetAddress.getAllByName(host));
  }

  /**
   * A URL that passed the guard, with the addresses that were checked: connect only to these.
   *
   * @param uri the URL as checked
   * @param scheme lower-case {@code http} or {@code https}
   * @param host the host as written in the URL, without IPv6 brackets
   * @param port the explicit port, or the scheme's default
   * @param addresses every address the host resolved to, all of them allowed, in resolver order
   */
  public record CheckedTarget(URI uri, String scheme, String host, int port, List<InetAddress> addresses) {
    public CheckedTarget {
      addresses = List.copyOf(addresses);
    }
  }

  private static final List<Cidr> ALWAYS_REFUSED = cidrs(
      "0.0.0.0/32", "::/128", "224.0.0.0/4", "ff00::/8", "255.255.255.255/32");
  private static final List<Cidr> METADATA = cidrs(
      "169.254.169.254/32", "169.254.170.2/32", "100.100.100.200/32", "fd00:ec2::254/128");
  private static final List<Cidr> LOOPBACK = cidrs("127.0.0.0/8", "::1/128");
  private static final List<Cidr> LINK_LOCAL = cidrs("169.254.0.0/16", "fe80::/10");
  private static final List<Cidr> PRIVATE = cidrs(
      "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7");
  private static final List<Cidr> RESERVED = cidrs(
      "0.0.0.0/8", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
      "240.0.0.0/4", "::/96", "100::/64", "2001:db8::/32", "fec0::/10");
  private static final Cidr IPV4_MAPPED = Cidr.parse("::ffff:0:0/96");
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  private final Set<String> schemes;
  private final boolean allowPublic;
  private final boolean allowLoopback;
  private final boolean allowPrivate;
  private final boolean allowLinkLocal;
  private final List<Cidr> allow;
  private final List<Cidr> deny;
  private final HostResolver resolver;

  public SsrfGuard(Set<String> schemes, boolean allowPublic, boolean allowLoopback, boolean allowPrivate,
      boolean allowLinkLocal, List<Cidr> allow, List<Cidr> deny, HostResolver resolver) {
    for (String s : schemes) {
      if (!s.equals("http") && !s.equals("https")) {
        throw new IllegalArgumentException("unsupported scheme in allowed-schemes: " + s);
      }
    }
    this.schemes = Set.copyOf(schemes);
    this.allowPublic = allowPublic;
    this.allowLoopback = allowLoopback;
    this.allowPrivate = allowPrivate;
    this.allowLinkLocal = allowLinkLocal;
    this.allow = List.copyOf(allow);
    this.deny = List.copyOf(deny);
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /**
   * Builds the guard from {@code openvoice.http.outbound} in {@code c} (or from {@code c} itself when it is that
   * block). Missing keys take the defaults of this library's {@code reference.conf}.
   *
   * @throws ConfigException when a value has the wrong type or a CIDR / scheme is invalid
   */
  public static SsrfGuard fromConfig(Config c) {
    Config b = outboundBlock(c);
    List<String> schemes = new ArrayList<>();
    for (String s : b.getStringList("allowed-schemes")) schemes.add(s.trim().toLowerCase(Locale.ROOT));
    try {
      return new SsrfGuard(Set.copyOf(schemes), b.getBoolean("allow-public"), b.getBoolean("allow-loopback"),
          b.getBoolean("allow-private"), b.getBoolean("allow-link-local"),
          parseAll(b.getStringList("allow")), parseAll(b.getStringList("deny")), HostResolver.SYSTEM);
    } catch (IllegalArgumentException e) {
      throw new ConfigException.BadValue(b.origin(), CONFIG_PATH, e.getMessage(), e);
    }
  }

  /** The same policy with another resolver (tests, or a caching resolver). */
  public SsrfGuard withResolver(HostResolver newResolver) {
    return new SsrfGuard(schemes, allowPublic, allowLoopback, allowPrivate, allowLinkLocal, allow, deny,
        newResolver);
  }

  /** The {@code openvoice.http.outbound} block of {@code c} (or {@code c} itself), over the reference defaults. */
  static Config outboundBlock(Config c) {
    Config own = c.hasPath(CONFIG_PATH) ? c.getConfig(CONFIG_PATH) : c;
    return own.withFallback(ConfigFactory.defaultReference().getConfig(CONFIG_PATH));
  }

  /**
   * Checks {@code uri} without resolving: scheme, host and port. Returns the target with no addresses yet.
   *
   * @throws FetchException BAD_URL or REFUSED_BY_GUARD
   */
  public CheckedTarget checkSyntax(URI uri) {
    String scheme = uri.getScheme();
    if (scheme == null) {
      throw new FetchException(FetchException.Kind.BAD_URL, "not an absolute URL: " + uri);
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (!schemes.contains(scheme)) {
      throw new FetchException(FetchException.Kind.REFUSED_BY_GUARD, "scheme '" + scheme + "' is not allowed: "
          + uri);
    }
    String host = uri.getHost();
    if (uri.isOpaque() || host == null || host.isEmpty()) {
      throw new FetchException(FetchException.Kind.BAD_URL, "URL has no valid host: " + uri);
    }
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port = uri.getPort();
    if (port == -1) port = scheme.equals("https") ? 443 : 80;
    if (port < 1 || port > 65535) {
      throw new FetchException(FetchException.Kind.BAD_URL, "port out of range: " + uri);
    }
    return new CheckedTarget(uri, scheme, host, port, List.of());
  }

  /**
   * Full check, resolving the host <b>on the calling thread</b> (blocking). Never call this from an actor or a
   * default-dispatcher thread; use {@link #checkAsync} there.
   *
   * @throws FetchException BAD_URL, REFUSED_BY_GUARD, or CONNECT_FAILED when the host does not resolve
   */
  public CheckedTarget check(URI uri) {
    CheckedTarget syntax = checkSyntax(uri);
    return checkAddresses(syntax, resolve(syntax.host()));
  }

  /**
   * Full check with DNS resolution run on {@code blockingExecutor}. The stage fails with a {@link FetchException}
   * (BAD_URL, REFUSED_BY_GUARD, CONNECT_FAILED).
   */
  public CompletionStage<CheckedTarget> checkAsync(URI uri, Executor blockingExecutor) {
    final CheckedTarget syntax;
    try {
      syntax = checkSyntax(uri);
    } catch (FetchException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.supplyAsync(() -> checkAddresses(syntax, resolve(syntax.host())), blockingExecutor);
  }

  private List<InetAddress> resolve(String host) {
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new FetchException(FetchException.Kind.CONNECT_FAILED, "cannot resolve host '" + host + "'", e);
    }
    if (addresses == null || addresses.isEmpty()) {
      throw new FetchException(FetchException.Kind.CONNECT_FAILED, "host '" + host + "' has no addresses");
    }
    return addresses;
  }

  private CheckedTarget checkAddresses(CheckedTarget target, List<InetAddress> addresses) {
    for (InetAddress a : addresses) {
      String why = refusal(a);
      if (why != null) {
        throw new FetchException(FetchException.Kind.REFUSED_BY_GUARD, "host '" + target.host() + "' resolves to "
            + a.getHostAddress() + ", " + why);
      }
    }
    return new CheckedTarget(target.uri(), target.scheme(), target.host(), target.port(), addresses);
  }

  /** True when a connection to {@code address} is allowed by this policy. */
  public boolean isAllowed(InetAddress address) {
    return refusal(address) == null;
  }

  /** Why {@code address} is refused, or null when it is allowed. Pure, no DNS. */
  public String refusal(InetAddress address) {
    return refusal(address.getAddress());
  }

  private String refusal(byte[] b) {
    if (in(ALWAYS_REFUSED, b)) return "an unspecified, multicast or broadcast address (always refused)";
    if (in(deny, b)) return "which is in the deny list";
    if (in(allow, b)) return null;
    byte[] v4 = embeddedIpv4(b);
    if (v4 != null) {
      String why = refusal(v4);
      return why == null ? null : why + " (IPv4 embedded in an IPv6 address)";
    }
    if (in(METADATA, b)) return "a cloud metadata address (refused unless in the allow list)";
    if (in(LOOPBACK, b)) return allowLoopback ? null : "a loopback address (allow-loopback = false)";
    if (in(LINK_LOCAL, b)) return allowLinkLocal ? null : "a link-local address (allow-link-local = false)";
    if (in(PRIVATE, b)) return allowPrivate ? null : "a private address (allow-private = false)";
    if (in(RESERVED, b)) return "a reserved / special-purpose address";
    return allowPublic ? null : "a public address (allow-public = false)";
  }

  private static byte[] embeddedIpv4(byte[] b) {
    if (b.length != 16) return null;
    if (IPV4_MAPPED.contains(b) || NAT64.contains(b)) return Arrays.copyOfRange(b, 12, 16);
    if (SIX_TO_FOUR.contains(b)) return Arrays.copyOfRange(b, 2, 6);
    return null;
  }

  private static boolean in(List<Cidr> list, byte[] b) {
    for (Cidr c : list) {
      if (c.contains(b)) return true;
    }
    return false;
  }

  private static List<Cidr> parseAll(List<String> texts) {
    List<Cidr> r = new ArrayList<>(texts.size());
    for (String t : texts) r.add(Cidr.parse(t));
    return r;
  }

  private static List<Cidr> cidrs(String... texts) {
    return parseAll(List.of(texts));
  }
}
