package io.openvoice.media.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 and an ephemeral port serving files registered by the tests, counting the requests
 * per path. Paths not registered answer 404.
 */
final class AudioServer implements AutoCloseable {
  private record Route(int status, String contentType, byte[] body, CountDownLatch gate) {
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "test-audio-server");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final Map<String, Integer> hits = new ConcurrentHashMap<>();

  AudioServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Serves {@code body} at {@code path} with status 200. */
  String serve(String path, String contentType, byte[] body) {
    routes.put(path, new Route(200, contentType, body, null));
    return url(path);
  }

  /** Serves {@code body} at {@code path} only once {@code gate} is opened (or after 10 s). */
  String serveAfter(String path, CountDownLatch gate, byte[] body) {
    routes.put(path, new Route(200, "audio/wav", body, gate));
    return url(path);
  }

  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
  }

  int hits(String path) {
    return hits.getOrDefault(path, 0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    ex.getRequestBody().readAllBytes();
    hits.merge(path, 1, Integer::sum);
    Route route = routes.get(path);
    if (route == null) route = new Route(404, "text/html", "<h1>Not Found</h1>".getBytes(), null);
    if (route.gate() != null) {
      try {
        route.gate().await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ex.getResponseHeaders().add("Content-Type", route.contentType());
    ex.sendResponseHeaders(route.status(), route.body().length == 0 ? -1 : route.body().length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(route.body());
    } catch (IOException e) {
      // the client hung up (e.g. it refused a body larger than its bound)
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
