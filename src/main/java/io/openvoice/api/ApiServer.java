package io.openvoice.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.common.Json;
import io.openvoice.events.EventSocket;
import io.openvoice.node.Platform;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API server: reads each request whole (bounded), routes it, authenticates it, runs the handler and
 * renders Opentact's envelope ({@code {success, payload}} / {@code {success:false, message, status}}).
 */
public final class ApiServer {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  static final long MAX_BODY = 2 * 1024 * 1024;

  private final Platform p;
  private final Router router;
  private final Authenticator auth;
  private final Materializer mat;
  private final EventSocket events;

  public ApiServer(Platform p, Router router, Executor blocking) {
    this.p = p;
    this.router = router;
    this.auth = new Authenticator(p, blocking);
    this.mat = Materializer.matFromSystem(p.system);
    this.events = new EventSocket(p.system, p.sharding, p.eventHub, this::identify,
        EventSocket.Settings.fromConfig(p.config.getConfig("openvoice")));
  }

  /** A WebSocket client's token → the user and account its auth reply shows (the same checks as REST). */
  private CompletionStage<EventSocket.Identity> identify(String token) {
    return auth.authenticateToken(token).thenCompose(who -> p.sharding.entityRefFor(AccountEntity.TYPE_KEY, who.accountId())
        .<AccountEntity.State>askWithStatus(AccountEntity.Get::new, p.askTimeout)
        .thenApply(acc -> {
          AccountEntity.User u = acc.users().get(who.userId());
          if (u == null) throw new ApiException(401, "Unauthorized: user no longer exists");
          Map<String, Object> user = AccountApi.userJson(u);
          user.put("wss_online", true);
          return new EventSocket.Identity(u.uuid(), acc.uuid(), u.email(), user, AuthApi.accountJson(acc));
        }));
  }

  /** The client's address, as the server saw the connection ("unknown" when the attribute is off). */
  private static String clientIp(HttpRequest req) {
    return req.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress).map(java.net.InetAddress::getHostAddress).orElse("unknown");
  }

  public CompletionStage<ServerBinding> bind(String host, int port) {
    return Http.get(p.system).newServerAt(host, port).bind(this::handle);
  }

  CompletionStage<HttpResponse> handle(HttpRequest req) {
    String path = req.getUri().path();
    if ("/".equals(path)) { // the WebSocket events endpoint; a plain GET / goes on to routing
      Optional<WebSocketUpgrade> upgrade = req.getAttribute(AttributeKeys.webSocketUpgrade);
      if (upgrade.isPresent()) return CompletableFuture.completedFuture(events.accept(upgrade.get(), clientIp(req)));
    }
    Map<String, String> query = new HashMap<>(req.getUri().query().toMap());
    boolean[] wrongMethod = {false};
    Router.Match m = router.match(req.method().value(), path, wrongMethod);
    if (m == null) {
      req.discardEntityBytes(mat);
      return CompletableFuture.completedFuture(error(wrongMethod[0] ? 405 : 404,
          wrongMethod[0] ? "Method not allowed" : "Not found", Map.of()));
    }
    CompletionStage<byte[]> body = req.entity().withSizeLimit(MAX_BODY).toStrict(10_000, mat)
        .thenApply(e -> e.getData().toArray());
    CompletionStage<Principal> who = m.route().auth()
        ? auth.authenticate(req, query) : CompletableFuture.completedFuture(null);
    return who.thenCombine(body, (principal, bytes) -> new Req(req, m.vars(), query, bytes,
            req.entity().getContentType().mediaType().toString(), principal))
        .thenCompose(r -> {
          try {
            return m.route().handler().handle(r);
          } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
          }
        })
        .thenApply(this::render)
        .exceptionally(err -> failure(req, err));
  }

  private HttpResponse render(Reply r) {
    if (r.payload() instanceof HttpResponse raw) return raw; // a streamed download (a recording): no envelope
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("success", true);
    root.set("payload", Json.MAPPER.valueToTree(r.payload()));
    r.extra().forEach((k, v) -> root.set(k, Json.MAPPER.valueToTree(v)));
    return HttpResponse.create().withStatus(r.status())
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, root.toString()));
  }

  private HttpResponse failure(HttpRequest req, Throwable err) {
    Throwable t = err;
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ApiException a) return error(a.status, a.getMessage(), a.fields);
    if (t instanceof StatusReply.ErrorMessage em) {
      String msg = em.getMessage();
      return msg != null && msg.contains("not found") ? error(404, "Not found", Map.of()) : error(409, msg, Map.of());
    }
    if (t instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException) {
      return error(413, "request body is larger than " + MAX_BODY + " bytes", Map.of());
    }
    if (t instanceof TimeoutException || t instanceof org.apache.pekko.pattern.AskTimeoutException) {
      log.warn("{} {}: timed out: {}", req.method().value(), req.getUri().path(), t.getMessage());
      return error(503, "Service temporarily unavailable: the request timed out", Map.of());
    }
    log.error("{} {} failed", req.method().value(), req.getUri().path(), t);
    return error(500, "Internal error", Map.of());
  }

  static HttpResponse error(int status, String message, Map<String, Map<String, Object>> fields) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("success", false);
    root.put("message", message);
    root.put("status", status);
    if (!fields.isEmpty()) root.set("fields", Json.MAPPER.valueToTree(fields));
    HttpResponse r = HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, root.toString()));
    // over a call limit: the per-second window frees within a second (RFC 9110 Retry-After, in seconds)
    return status == 429 ? r.addHeader(org.apache.pekko.http.javadsl.model.HttpHeader.parse("Retry-After", "1")) : r;
  }

  public static Duration timeout(Platform p) {
    return p.askTimeout;
  }
}
