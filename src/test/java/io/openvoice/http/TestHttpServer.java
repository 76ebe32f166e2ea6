package io.openvoice.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;

/** A real HTTP(S) server on a loopback address and an ephemeral port that records what it received. */
final class TestHttpServer implements AutoCloseable {

  /** One request as the server saw it. {@code sni} is the TLS server name, or null. */
  record Received(String method, String rawPath, String rawQuery, Headers headers, byte[] body, String sni) {
    String bodyUtf8() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.getFirst(name);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "test-http-server");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch release = new CountDownLatch(1);
  final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private final Map<String, Integer> hits = new ConcurrentHashMap<>();

  private TestHttpServer(HttpServer server) {
    this.server = server;
    server.setExecutor(executor);
    route("/echo", ex -> respond(ex, 200, "text/plain; charset=UTF-8", "ok".getBytes(StandardCharsets.UTF_8)));
    route("/teapot", ex -> respond(ex, 418, "text/plain; charset=UTF-8", "short and stout".getBytes(StandardCharsets.UTF_8)));
    route("/server-error", ex -> respond(ex, 503, "application/json", "{\"error\":\"down\"}".getBytes(StandardCharsets.UTF_8)));
    route("/redirect", ex -> {
      ex.getResponseHeaders().add("Location", "/redirected");
      respond(ex, 302, "text/plain; charset=UTF-8", "moved".getBytes(StandardCharsets.UTF_8));
    });
    route("/redirected", ex -> respond(ex, 200, "text/plain", "followed".getBytes(StandardCharsets.UTF_8)));
    route("/slow", ex -> {
      try {
        release.await(5, TimeUnit.SECONDS); // released in close(); the client gives up long before
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      respond(ex, 200, "text/plain", "late".getBytes(StandardCharsets.UTF_8));
    });
    route("/bytes", ex -> {
      // /bytes?n=123[&chunked] : n bytes of 'x', with Content-Length unless chunked
      String q = ex.getRequestURI().getRawQuery();
      int n = Integer.parseInt(q.replaceAll(".*n=(\\d+).*", "$1"));
      byte[] body = "x".repeat(n).getBytes(StandardCharsets.US_ASCII);
      ex.getResponseHeaders().add("Content-Type", "text/plain");
      if (q.contains("chunked")) {
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
          for (int i = 0; i < n; i += 100) out.write(body, i, Math.min(100, n - i));
        } catch (IOException e) {
          // the client may hang up once it has seen enough
        }
      } else {
        respond(ex, 200, "text/plain", body);
      }
    });
    route("/latin1", ex -> respond(ex, 200, "text/xml; charset=ISO-8859-1",
        "<Say>café</Say>".getBytes(StandardCharsets.ISO_8859_1)));
    route("/no-content", ex -> {
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
  }

  static TestHttpServer http(InetAddress bind) throws IOException {
    TestHttpServer s = new TestHttpServer(HttpServer.create(new InetSocketAddress(bind, 0), 0));
    s.server.start();
    return s;
  }

  static TestHttpServer https(InetAddress bind, SSLContext ssl) throws IOException {
    HttpsServer hs = HttpsServer.create(new InetSocketAddress(bind, 0), 0);
    hs.setHttpsConfigurator(new HttpsConfigurator(ssl));
    TestHttpServer s = new TestHttpServer(hs);
    s.server.start();
    return s;
  }

  int port() {
    return server.getAddress().getPort();
  }

  int hits(String path) {
    return hits.getOrDefault(path, 0);
  }

  List<Received> receivedOn(String path) {
    return received.stream().filter(r -> r.rawPath().equals(path)).toList();
  }

  private void route(String path, HttpHandler handler) {
    server.createContext(path, ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
          ex.getRequestURI().getRawQuery(), ex.getRequestHeaders(), body, sni(ex)));
      hits.merge(path, 1, Integer::sum);
      handler.handle(ex);
    });
  }

  private static String sni(HttpExchange ex) {
    if (!(ex instanceof HttpsExchange hx)) return null;
    SSLSession session = hx.getSSLSession();
    if (session instanceof ExtendedSSLSession es) {
      for (SNIServerName n : es.getRequestedServerNames()) {
        if (n instanceof SNIHostName h) return h.getAsciiName();
      }
    }
    return null;
  }

  private static void respond(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().add("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    } catch (IOException e) {
      // client went away
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
