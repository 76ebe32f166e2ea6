package io.openvoice.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.node.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A JDK WebSocket client of a test node's event endpoint that keeps every text message and the close code. */
public final class WsClient implements AutoCloseable {
  final WebSocket ws;
  final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  volatile String closeReason;

  private WsClient(WebSocket ws, Listener l) {
    this.ws = ws;
  }

  public static WsClient connect(TestNode node) throws Exception {
    Listener l = new Listener();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(node.base.replace("http://", "ws://") + "/"), l).get(10, TimeUnit.SECONDS);
    WsClient c = new WsClient(ws, l);
    l.client = c;
    l.flush();
    return c;
  }

  public void send(String json) throws Exception {
    ws.sendText(json, true).get(10, TimeUnit.SECONDS);
  }

  /** The next message, waiting at most {@code max}; fails when none comes. */
  public JsonNode next(Duration max) throws Exception {
    JsonNode n = received.poll(max.toMillis(), TimeUnit.MILLISECONDS);
    if (n == null) throw new AssertionError("no message within " + max + (closed.isDone() ? " (closed " + closed.join() + ")" : ""));
    return n;
  }

  /** Messages until one satisfies {@code last} (included), within {@code max}. */
  public List<JsonNode> until(Predicate<JsonNode> last, Duration max) throws Exception {
    Instant deadline = Instant.now().plus(max);
    List<JsonNode> out = new ArrayList<>();
    while (true) {
      Duration left = Duration.between(Instant.now(), deadline);
      JsonNode n = received.poll(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS);
      if (n == null) throw new AssertionError("expected message not received within " + max + "; got " + out);
      out.add(n);
      if (last.test(n)) return out;
    }
  }

  /** Whatever arrives within {@code window} (to show that something does not come). */
  List<JsonNode> drain(Duration window) throws Exception {
    Instant deadline = Instant.now().plus(window);
    List<JsonNode> out = new ArrayList<>();
    while (Instant.now().isBefore(deadline)) {
      JsonNode n = received.poll(50, TimeUnit.MILLISECONDS);
      if (n != null) out.add(n);
    }
    return out;
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    ws.abort();
  }

  private static final class Listener implements WebSocket.Listener {
    volatile WsClient client;
    private final StringBuilder part = new StringBuilder();
    private final List<JsonNode> early = new ArrayList<>();
    private int earlyClose = -1;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      part.append(data);
      if (last) {
        try {
          JsonNode n = TestNode.M.readTree(part.toString());
          synchronized (this) {
            if (client == null) early.add(n);
            else client.received.add(n);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        part.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      synchronized (this) {
        if (client == null) earlyClose = statusCode;
        else {
          client.closeReason = reason;
          client.closed.complete(statusCode);
        }
      }
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      synchronized (this) {
        if (client != null) client.closed.completeExceptionally(error);
      }
    }

    synchronized void flush() {
      client.received.addAll(early);
      if (earlyClose >= 0) client.closed.complete(earlyClose);
    }
  }
}
