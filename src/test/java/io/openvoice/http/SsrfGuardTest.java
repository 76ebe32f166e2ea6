package io.openvoice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.openvoice.http.FetchException.Kind;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The guard on its own: IP literals and a fake resolver only, so nothing leaves the machine (or even the JVM). */
class SsrfGuardTest {

  private static SsrfGuard guard(String outbound) {
    return SsrfGuard.fromConfig(ConfigFactory.parseString("openvoice.http.outbound {" + outbound + "}"));
  }

  private static Kind refusedKind(SsrfGuard g, String url) {
    FetchException e = assertThrows(FetchException.class, () -> g.check(URI.create(url)), url);
    return e.kind();
  }

  private static void allowed(SsrfGuard g, String url) {
    SsrfGuard.CheckedTarget t = g.check(URI.create(url));
    assertTrue(!t.addresses().isEmpty(), url);
  }

  @Test
  void referenceDefaultsAllowPublicAndLoopbackOnly() {
    SsrfGuard g = SsrfGuard.fromConfig(ConfigFactory.empty());
    allowed(g, "http://93.184.216.34/");
    allowed(g, "https://[2606:2800:220:1:248:1893:25c8:1946]/");
    allowed(g, "http://127.0.0.1:8080/");
    allowed(g, "http://[::1]/");
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://10.0.0.1/"));
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://169.254.169.254/latest/meta-data/"));
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://[fe80::1]/"));
  }

  @Test
  void loopbackRefusedWhenNotAllowed() {
    SsrfGuard g = guard("allow-loopback = false");
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://127.0.0.1/"));
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://127.10.20.30/"));
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://[::1]:8080/"));
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://[::ffff:127.0.0.1]/"));
  }

  @Test
  void privateRangesFollowAllowPrivate() {
    SsrfGuard closed = guard("allow-private = false");
    for (String u : List.of("http://10.0.0.1/", "http://172.16.0.1/", "http://172.31.255.254/", "http://192.168.0.1/",
        "http://100.64.0.1/", "http://[fd12:3456::1]/", "http://[fc00::1]/")) {
      assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(closed, u), u);
    }
    allowed(closed, "http://172.32.0.1/");
    SsrfGuard open = guard("allow-private = true");
    allowed(open, "http://10.0.0.1/");
    allowed(open, "http://[fd12:3456::1]/");
  }

  @Test
  void metadataAddressIsRefusedEvenWithLinkLocalAllowed() {
    SsrfGuard g = guard("allow-link-local = true, allow-private = true");
    allowed(g, "http://169.254.10.10/");
    allowed(g, "http://[fe80::1]/");
    FetchException e = assertThrows(FetchException.class, () -> g.check(URI.create("http://169.254.169.254/")));
    assertEquals(Kind.REFUSED_BY_GUARD, e.kind());
    assertTrue(e.getMessage().contains("metadata"), e.getMessage());
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://[fd00:ec2::254]/"));
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://100.100.100.200/"));
  }

  @Test
  void metadataAddressAllowedOnlyWhenExplicitlyInAllow() {
    allowed(guard("allow = [\"169.254.169.254/32\"]"), "http://169.254.169.254/");
  }

  @Test
  void explicitAllowCidrOverridesAllowPrivateFalse() {
    SsrfGuard g = guard("allow-private = false, allow = [\"10.1.2.0/24\", \"fd00:1::/32\"]");
    allowed(g, "http://10.1.2.3/");
    allowed(g, "http://[fd00:1::5]/");
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://10.1.3.1/"));
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://[fd00:2::5]/"));
  }

  @Test
  void denyCidrWinsOverAllowAndOverPublic() {
    SsrfGuard g = guard("allow = [\"10.0.0.0/8\"], deny = [\"10.9.0.0/16\", \"93.184.216.0/24\", \"2001:db8::/32\"]");
    allowed(g, "http://10.1.0.1/");
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://10.9.0.1/"));
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://93.184.216.34/"));
    allowed(g, "http://93.184.217.1/");
  }

  @Test
  void unspecifiedAndMulticastAreRefusedEvenIfAllowed() {
    SsrfGuard g = guard("allow = [\"0.0.0.0/0\", \"::/0\"]");
    for (String u : List.of("http://0.0.0.0/", "http://[::]/", "http://224.0.0.1/", "http://239.1.2.3/",
        "http://[ff02::1]/", "http://255.255.255.255/")) {
      assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, u), u);
    }
    allowed(g, "http://10.0.0.1/"); // a catch-all allow otherwise opens everything
  }

  @Test
  void reservedRangesAreRefused() {
    SsrfGuard g = guard("");
    for (String u : List.of("http://0.1.2.3/", "http://240.0.0.1/", "http://192.0.2.1/", "http://198.18.0.1/",
        "http://[2001:db8::1]/", "http://[::7f00:1]/")) {
      assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, u), u);
    }
  }

  @Test
  void ipv4EmbeddedInIpv6IsJudgedAsThatIpv4() {
    SsrfGuard g = guard("allow-loopback = false");
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://[64:ff9b::a9fe:a9fe]/")); // NAT64 169.254.169.254
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://[64:ff9b::7f00:1]/"));    // NAT64 127.0.0.1
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://[2002:a00:1::1]/"));      // 6to4 10.0.0.1
    allowed(g, "http://[64:ff9b::5db8:d822]/");                                            // NAT64 93.184.216.34
  }

  @Test
  void publicRefusedWhenAllowPublicFalse() {
    SsrfGuard g = guard("allow-public = false, allow = [\"93.184.216.0/24\"]");
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(g, "http://8.8.8.8/"));
    allowed(g, "http://93.184.216.34/");
  }

  @Test
  void everyResolvedAddressMustPass() {
    SsrfGuard g = guard("allow-loopback = false").withResolver(host -> List.of(
        InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1")));
    FetchException e = assertThrows(FetchException.class, () -> g.check(URI.create("http://rebind.test/")));
    assertEquals(Kind.REFUSED_BY_GUARD, e.kind());
    assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
  }

  @Test
  void checkedTargetCarriesAllAddressesToConnectTo() throws Exception {
    List<InetAddress> two = List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("93.184.216.35"));
    SsrfGuard.CheckedTarget t = guard("").withResolver(host -> two).check(URI.create("https://hooks.test/x?y"));
    assertEquals(two, t.addresses());
    assertEquals("hooks.test", t.host());
    assertEquals(443, t.port());
    assertEquals("https", t.scheme());
  }

  @Test
  void checkAsyncResolvesOnTheGivenExecutorNotTheCaller() throws Exception {
    AtomicReference<String> resolvedOn = new AtomicReference<>();
    SsrfGuard g = guard("").withResolver(host -> {
      resolvedOn.set(Thread.currentThread().getName());
      return List.of(InetAddress.getByName(host.equals("hooks.test") ? "93.184.216.34" : "10.0.0.1"));
    });
    ExecutorService dns = Executors.newSingleThreadExecutor(r -> new Thread(r, "guard-test-dns"));
    try {
      SsrfGuard.CheckedTarget t = g.checkAsync(URI.create("http://hooks.test/"), dns)
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(80, t.port());
      assertEquals("guard-test-dns", resolvedOn.get());
      assertNotEquals(Thread.currentThread().getName(), resolvedOn.get());

      ExecutionException e = assertThrows(ExecutionException.class, () ->
          g.checkAsync(URI.create("http://internal.test/"), dns).toCompletableFuture().get(5, TimeUnit.SECONDS));
      assertEquals(Kind.REFUSED_BY_GUARD, FetchException.unwrap(e).kind());
    } finally {
      dns.shutdownNow();
    }
  }

  @Test
  void unresolvableHostIsConnectFailed() {
    SsrfGuard g = guard("").withResolver(host -> {
      throw new UnknownHostException(host);
    });
    assertEquals(Kind.CONNECT_FAILED, refusedKind(g, "http://nowhere.test/"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:///etc/passwd", "file:/etc/passwd", "gopher://127.0.0.1:70/_x", "ftp://93.184.216.34/",
      "jar:file:/a.jar!/b", "mailto:a@b.test", "dict://127.0.0.1:11211/"})
  void nonHttpSchemesAreRefused(String url) {
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(guard(""), url));
  }

  @Test
  void schemeMatchIsCaseInsensitiveAndConfigurable() {
    allowed(guard(""), "HTTP://93.184.216.34/");
    SsrfGuard httpsOnly = guard("allowed-schemes = [\"https\"]");
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(httpsOnly, "http://93.184.216.34/"));
    allowed(httpsOnly, "https://93.184.216.34/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/relative", "http:///no-host", "http://93.184.216.34:0/", "http://93.184.216.34:70000/"})
  void urlsWithoutHostOrWithBadPortAreBadUrl(String url) {
    assertEquals(Kind.BAD_URL, refusedKind(guard(""), url));
  }

  @Test
  void fromConfigAcceptsTheBlockItselfAndRejectsBadValues() {
    SsrfGuard fromBlock = SsrfGuard.fromConfig(ConfigFactory.parseString("allow-loopback = false"));
    assertEquals(Kind.REFUSED_BY_GUARD, refusedKind(fromBlock, "http://127.0.0.1/"));
    assertThrows(ConfigException.class, () -> guard("allow = [\"10.0.0.0/40\"]"));
    assertThrows(ConfigException.class, () -> guard("deny = [\"intranet.example\"]"));
    assertThrows(ConfigException.class, () -> guard("allowed-schemes = [\"file\"]"));
  }

  @Test
  void refusalIsAPureAddressCheck() throws Exception {
    SsrfGuard g = guard("allow-loopback = false");
    assertNotNull(g.refusal(InetAddress.getByName("127.0.0.1")));
    assertTrue(g.isAllowed(InetAddress.getByName("93.184.216.34")));
  }
}
