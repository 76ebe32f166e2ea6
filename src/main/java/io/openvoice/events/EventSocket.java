package io.openvoice.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.common.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.scaladsl.model.ws.Message;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket event protocol (reference 6.1, design decision 7), one {@link Connection} per socket:
 * <ul>
 * <li>the first message must be {@code {"type":"auth","payload":"<JWT or API token>"}} (optionally with
 *   {@code "last_event_id"}); anything else, or a bad token, gets {@code {type:"auth", success:false, message}} and
 *   the socket is closed with 4001;</li>
 * <li>after auth, the events of the user's account whose type the user subscribes to (active, unexpired), as
 *   {@link PlatformEvent#json()}, in bus order;</li>
 * <li>{@code {"type":"ping"}} → {@code {"type":"pong"}}; {@code {"type":"resume","payload":{"last_event_id":…}}}
 *   replays what was missed (see {@link EventHub});</li>
 * <li>each connection's outgoing buffer is bounded; a client that falls that far behind is closed with 1013 and
 *   resumes from the last event id it saw.</li>
 * </ul>
 * Nothing here blocks: incoming messages are handled one at a time by a stream, outgoing ones go through a bounded
 * queue the stream drains at the client's pace.
 */
public final class EventSocket {
  private static final Logger log = LoggerFactory.getLogger(EventSocket.class);
  static final int UNAUTHORIZED = 4001;
  static final int TRY_AGAIN_LATER = 1013;
  private static final int MAX_MESSAGE_CHARS = 64 * 1024;

  /** Who authenticated: ids for filtering, and the user and account as the auth reply shows them. */
  public record Identity(String userId, String accountId, String email, Map<String, Object> user,
                         Map<String, Object> account) {}

  /** Checks a token (JWT or API token); a failed stage's message is what the client is told. */
  @FunctionalInterface
  public interface Authenticate {
    CompletionStage<Identity> apply(String token);
  }

  /**
   * {@code buffer}: events (and replies) a connection may have waiting to be sent; {@code refresh}: how often a
   * connection re-reads its user's subscriptions besides being told of changes; {@code authTimeout}: how long a
   * new socket may stay unauthenticated.
   */
  public record Settings(int buffer, Duration refresh, Duration authTimeout, Duration askTimeout) {
    public static Settings fromConfig(com.typesafe.config.Config ov) {
      return new Settings(ov.getInt("events.connection-buffer"), ov.getDuration("events.subscription-refresh"),
          ov.getDuration("events.auth-timeout"), ov.getDuration("http.ask-timeout"));
    }
  }

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final EventHub hub;
  private final Authenticate authenticate;
  private final Settings settings;
  private final Materializer mat;

  public EventSocket(ActorSystem<?> system, ClusterSharding sharding, EventHub hub, Authenticate authenticate,
                     Settings settings) {
    this.system = system;
    this.sharding = sharding;
    this.hub = hub;
    this.authenticate = authenticate;
    this.settings = settings;
    this.mat = Materializer.matFromSystem(system);
  }

  /** The 101 response that upgrades this request to a connection of the event protocol. */
  public HttpResponse accept(WebSocketUpgrade upgrade, String clientIp) {
    return new Connection(clientIp).start(upgrade);
  }

  /** A batch of replayed events, sent one by one in order. */
  private record Batch(List<PlatformEvent> events) {}

  private static final class TooSlow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooSlow() {
      super("client too slow", null, false, false);
    }
  }

  private final class Connection implements EventHub.Conn {
    final String id = UUID.randomUUID().toString();
    final String ip;
    final AtomicReference<WsStack.Close> close = new AtomicReference<>();
    final AtomicBoolean authStarted = new AtomicBoolean();
    final AtomicLong generation = new AtomicLong();
    long appliedGeneration;
    volatile Identity who;
    volatile boolean registered;
    volatile Map<String, Instant> types = Map.of();
    BoundedSourceQueue<Object> queue;
    volatile Cancellable refresher;
    volatile Cancellable authTimer;
    volatile Runnable stopListening;

    Connection(String ip) {
      this.ip = ip;
    }

    HttpResponse start(WebSocketUpgrade upgrade) {
      Pair<BoundedSourceQueue<Object>, Source<Object, NotUsed>> out =
          Source.queue(settings.buffer()).preMaterialize(mat);
      queue = out.first();
      Source<Message, NotUsed> outgoing = out.second()
          .flatMapConcat(o -> o instanceof Batch b
              ? Source.from(b.events()).map(ev -> text(ev.json()))
              : Source.single(text((String) o)));
      Sink<Message, CompletionStage<Done>> incoming = Flow.<Message>create()
          .mapAsync(1, this::strictText)
          .mapAsync(1, t -> t == null ? CompletableFuture.completedFuture(Done.getInstance()) : onText(t))
          .toMat(Sink.ignore(), Keep.right())
          .mapMaterializedValue(done -> {
            done.whenComplete((d, err) -> stop());
            return done;
          });
      authTimer = system.scheduler().scheduleOnce(settings.authTimeout(), () -> {
        if (!authStarted.get()) refuse("authentication timed out: send {\"type\":\"auth\",\"payload\":\"<token>\"}");
      }, system.executionContext());
      return WsStack.handle(system, upgrade, Flow.fromSinkAndSourceCoupled(incoming, outgoing), close);
    }

    private Message text(String s) {
      return new org.apache.pekko.http.scaladsl.model.ws.TextMessage.Strict(s);
    }

    /** A whole text message (bounded); null for a binary one, which is drained and ignored. */
    private CompletionStage<String> strictText(Message m) {
      org.apache.pekko.http.javadsl.model.ws.Message jm = org.apache.pekko.http.javadsl.model.ws.Message.adapt(m);
      if (!jm.isText()) {
        jm.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), mat);
        return CompletableFuture.completedFuture(null);
      }
      return jm.asTextMessage().getStreamedText()
          .limitWeighted(MAX_MESSAGE_CHARS, s -> (long) s.length())
          .runFold(new StringBuilder(), StringBuilder::append, mat)
          .thenApply(StringBuilder::toString);
    }

    private CompletionStage<Done> onText(String text) {
      JsonNode msg;
      try {
        msg = Json.MAPPER.readTree(text);
      } catch (Exception e) {
        msg = null;
      }
      String type = msg != null && msg.isObject() ? msg.path("type").asText("") : "";
      if (who == null) {
        if (!"auth".equals(type) || !authStarted.compareAndSet(false, true)) {
          refuse("authenticate first: the first message must be {\"type\":\"auth\",\"payload\":\"<token>\"}");
          return done();
        }
        return auth(msg);
      }
      switch (type) {
        case "ping" -> send(Json.MAPPER.createObjectNode().put("type", "pong"));
        case "resume" -> {
          JsonNode id = msg.path("payload").path("last_event_id");
          if (!id.isTextual() || id.asText().isBlank()) {
            send(reply("resume", false, "payload.last_event_id is required"));
          } else {
            hub.resume(this, id.asText());
          }
        }
        case "auth" -> send(reply("auth", false, "already authenticated"));
        default -> send(reply("error", false, "unknown message type: " + (type.isEmpty() ? "(none)" : type)));
      }
      return done();
    }

    private CompletionStage<Done> auth(JsonNode msg) {
      cancel(authTimer);
      JsonNode token = msg.path("payload");
      JsonNode last = msg.path("last_event_id");
      if (!token.isTextual() || token.asText().isBlank()) {
        refuse("Unauthorized: payload must be a token from GET /rest/auth (or an API token)");
        return done();
      }
      String resumeAfter = last.isTextual() && !last.asText().isBlank() ? last.asText() : null;
      CompletionStage<Identity> id;
      try {
        id = authenticate.apply(token.asText());
      } catch (RuntimeException e) {
        id = CompletableFuture.failedFuture(e);
      }
      return id.thenCompose(identity -> subscriptions(identity.userId()).thenApply(subs -> {
            who = identity;
            types = SubscriptionsEntity.activeTypes(subs, Instant.now());
            return identity;
          }))
          .handle((identity, err) -> {
            if (err != null) {
              refuse(messageOf(err));
              return Done.getInstance();
            }
            send(authReply(identity));
            stopListening = hub.onSubscriptionsChanged(identity.userId(), u -> reload());
            refresher = system.scheduler().scheduleWithFixedDelay(settings.refresh(), settings.refresh(),
                this::reload, system.executionContext());
            registered = true;
            hub.register(this, resumeAfter);
            if (close.get() != null) stop(); // closed while authenticating
            return Done.getInstance();
          });
    }

    private ObjectNode authReply(Identity identity) {
      Instant now = Instant.now();
      ObjectNode root = Json.MAPPER.createObjectNode();
      root.put("uuid", UUID.randomUUID().toString());
      root.put("created_on", Json.iso(now));
      root.put("timestamp", Json.iso(now));
      root.put("type", "auth");
      root.put("success", true);
      root.put("message", "WSS connection " + id + "@" + ip + " - success auth " + identity.email());
      ObjectNode payload = root.putObject("payload");
      payload.put("uuid", id);
      payload.put("ip", ip);
      payload.set("user", Json.MAPPER.valueToTree(identity.user()));
      payload.set("account", Json.MAPPER.valueToTree(identity.account()));
      root.set("account", Json.MAPPER.valueToTree(identity.account()));
      return root;
    }

    private CompletionStage<List<SubscriptionsEntity.Subscription>> subscriptions(String userId) {
      return sharding.entityRefFor(SubscriptionsEntity.TYPE_KEY, userId)
          .ask(SubscriptionsEntity.ListAll::new, settings.askTimeout())
          .thenApply(SubscriptionsEntity.Listed::subscriptions);
    }

    /** Re-reads the subscriptions; an answer older than one already applied is dropped. */
    private void reload() {
      Identity identity = who;
      if (identity == null || close.get() != null) return;
      long gen = generation.incrementAndGet();
      subscriptions(identity.userId()).whenComplete((subs, err) -> {
        if (err != null) {
          log.debug("connection {}: subscriptions not re-read: {}", id, err.toString());
          return;
        }
        synchronized (this) {
          if (gen <= appliedGeneration) return;
          appliedGeneration = gen;
          types = SubscriptionsEntity.activeTypes(subs, Instant.now());
        }
      });
    }

    @Override
    public String accountId() {
      return who.accountId();
    }

    @Override
    public boolean accepts(PlatformEvent ev) {
      Map<String, Instant> t = types;
      if (!t.containsKey(ev.type())) return false;
      Instant exp = t.get(ev.type());
      return exp == null || Instant.now().isBefore(exp);
    }

    @Override
    public boolean live(PlatformEvent ev) {
      return offer(ev.json());
    }

    @Override
    public boolean replay(List<PlatformEvent> events, String afterId) {
      ObjectNode r = reply("resume", true, "replaying " + events.size() + " events after " + afterId);
      r.putObject("payload").put("last_event_id", afterId).put("count", events.size());
      return offer(r.toString()) && (events.isEmpty() || offer(new Batch(List.copyOf(events))));
    }

    @Override
    public void resumeUnknown(String afterId) {
      send(reply("resume", false, "event " + afterId + " is no longer held; events may have been missed"));
    }

    private boolean offer(Object item) {
      if (close.get() != null) return false;
      QueueOfferResult r = queue.offer(item);
      if (r == QueueOfferResult.enqueued()) return true;
      if (r == QueueOfferResult.dropped()) {
        log.info("connection {}@{}: {} messages waiting, closing (1013)", id, ip, settings.buffer());
        if (close.compareAndSet(null, new WsStack.Close(TRY_AGAIN_LATER, "too slow, resume with last event id"))) {
          queue.fail(new TooSlow());
        }
      }
      return false;
    }

    private void send(ObjectNode json) {
      offer(json.toString());
    }

    /** Tells the client why and closes with 4001 once the message is out. */
    private void refuse(String message) {
      send(reply("auth", false, message));
      if (close.compareAndSet(null, new WsStack.Close(UNAUTHORIZED, "unauthorized"))) queue.complete();
    }

    private ObjectNode reply(String type, boolean success, String message) {
      Instant now = Instant.now();
      ObjectNode r = Json.MAPPER.createObjectNode();
      r.put("uuid", UUID.randomUUID().toString());
      r.put("created_on", Json.iso(now));
      r.put("timestamp", Json.iso(now));
      r.put("type", type);
      r.put("success", success);
      r.put("message", message);
      return r;
    }

    /** The socket is gone (either side): leave the hub, stop timers. */
    private void stop() {
      cancel(authTimer);
      cancel(refresher);
      Runnable s = stopListening;
      if (s != null) s.run();
      if (registered) hub.unregister(this);
    }

    private void cancel(Cancellable c) {
      if (c != null) c.cancel();
    }
  }

  private static CompletionStage<Done> done() {
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  private static String messageOf(Throwable err) {
    Throwable t = err;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t.getMessage() == null ? "Unauthorized" : t.getMessage();
  }
}
