package io.openvoice.node;

import com.typesafe.config.Config;
import io.openvoice.account.AccountEntity;
import io.openvoice.account.IndexEntity;
import io.openvoice.app.AppEntity;
import io.openvoice.auth.Jwt;
import io.openvoice.call.CallDeps;
import io.openvoice.call.CallSpec;
import io.openvoice.call.CallEntity;
import io.openvoice.call.HttpPort;
import io.openvoice.call.MediaPorts;
import io.openvoice.domain.SipDomainEntity;
import io.openvoice.call.OutcomeSink;
import io.openvoice.batch.BatchEntity;
import io.openvoice.call.WebhookPort;
import io.openvoice.calllog.CallLogDb;
import io.openvoice.calllog.CallLogProjection;
import io.openvoice.webhook.WebhookDispatcher;
import io.openvoice.webhook.WebhookSettings;
import io.openvoice.webhook.WebhookStats;
import io.openvoice.connection.SipConnectionEntity;
import io.openvoice.profile.OutboundVoiceProfileEntity;
import io.openvoice.connection.SipProducts;
import io.openvoice.limits.AccountLimitsEntity;
import io.openvoice.limits.CallAdmission;
import io.openvoice.events.EventBus;
import io.openvoice.events.EventHub;
import io.openvoice.events.SubscriptionsEntity;
import io.openvoice.events.LiveCalls;
import io.openvoice.geo.GeoLookup;
import io.openvoice.geo.NanpGeoLookup;
import io.openvoice.number.NumberInventory;
import io.openvoice.number.TnEntity;
import io.openvoice.sim.SimMedia;
import io.openvoice.sip.SipMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Everything one node runs, wired once: sharded entities (calls, numbers, apps, accounts, indexes, app webhook
 * dispatchers), the media ports, outbound HTTP, the event bus, the number inventory and the JWT codec. REST and the simulator use it.
 */
public final class Platform {
  public final ActorSystem<?> system;
  public final Config config;
  public final ClusterSharding sharding;
  public final EventBus bus;
  public final LiveCalls liveCalls;
  /** Recent events and this node's WebSocket connections (reference 6, design decision 7). */
  public final EventHub eventHub;
  public final NumberInventory inventory;
  public final Jwt jwt;
  public final HttpPort http;
  public final GeoLookup geo;
  public final Duration askTimeout;
  public final Duration parkTimeout;
  public final Duration defaultMaxCallLength;
  public final String defaultTimeZone;
  public final String nodeName;
  public final SimMedia simMedia;
  public final SipMedia sipMedia;
  public final SipProducts products;
  /** What an inbound SIP call over its account's limits is refused with (503 or 486). */
  public final int inboundOverLimitStatus;
  public final WebhookSettings webhookSettings;
  public final WebhookStats webhookStats = new WebhookStats();
  /** This node's metrics ({@code GET /metrics}); the call entities report to {@code metrics.calls}. */
  public final io.openvoice.metrics.NodeMetrics metrics = new io.openvoice.metrics.NodeMetrics();
  /**
   * SMS: the sink gateways hand inbound messages and delivery reports to (an off-net gateway gets it when it is
   * created; the Kannel HTTP routes call it), and the gateway router of outbound attempts.
   */
  public final io.openvoice.sms.SmsService sms;
  /** Prepaid SMS balances and their ledger. */
  public final io.openvoice.limits.SmsBalance smsBalance;
  public final io.openvoice.sms.gateway.GatewayRouter smsGateways;
  /** The call log and call-flow log tables (read side), fed by {@link CallLogProjection}. */
  public final CallLogDb callLog;
  private final ScheduledExecutorService simScheduler;

  /** The role of the nodes that run the entities (calls, numbers, apps...); "edge" nodes run the SIP edge. */
  public static final String CONTROL = "control";
  public static final String EDGE = "edge";
  /** Taking this node out of service without dropping calls (see {@link Drain}). */
  public final Drain drain;
  /** This node's media host (see {@link EdgeHost}). */
  public final ActorRef<EdgeHost.Command> edgeHost;
  /** The SIP edges of the cluster, for placing calls from a node that has none. */
  private final ActorRef<EdgeDirectory.Command> edges;

  /**
   * The media host a handle names, if its node is a member of the cluster now; null otherwise (a handle from
   * before hosts existed, or of a node that left or restarted): the call then uses this node's port, which rebuilds
   * a simulated session or, for a SIP call, finds no dialog and ends it with media_node_lost.
   */
  private ActorRef<?> memberHost(ActorRefResolver resolver, String node) {
    if (!node.startsWith("pekko")) return null;
    ActorRef<Object> ref = resolver.resolveActorRef(node);
    org.apache.pekko.actor.Address address = ref.path().address();
    if (address.equals(org.apache.pekko.cluster.typed.Cluster.get(system).selfMember().address())) {
      return null; // this node, or its previous incarnation at the same address: the local port
    }
    org.apache.pekko.cluster.Member m = find(org.apache.pekko.cluster.typed.Cluster.get(system).state().getMembers(), address);
    boolean member = m != null && m.status() != org.apache.pekko.cluster.MemberStatus.down()
        && m.status() != org.apache.pekko.cluster.MemberStatus.removed();
    return member ? ref : null;
  }

  /** The member of {@code members} at {@code address}, or null. */
  private static org.apache.pekko.cluster.Member find(Iterable<org.apache.pekko.cluster.Member> members,
                                                     org.apache.pekko.actor.Address address) {
    for (org.apache.pekko.cluster.Member m : members) if (m.address().equals(address)) return m;
    return null;
  }

  @SuppressWarnings("unchecked")
  private static ActorRef<EdgeHost.Command> castHost(ActorRef<?> ref) {
    return (ActorRef<EdgeHost.Command>) ref;
  }

  /** Called by this node's SIP edge once it listens: other nodes may now place calls through it. */
  public void edgeStarted() {
    system.receptionist().tell(org.apache.pekko.actor.typed.receptionist.Receptionist.register(EdgeHost.EDGES, edgeHost));
  }

  public Platform(ActorSystem<?> system, Jwt jwt, HttpPort http) throws Exception {
    this.system = system;
    this.config = system.settings().config();
    Config ov = config.getConfig("openvoice");
    this.jwt = jwt;
    this.http = http;
    this.askTimeout = ov.getDuration("http.ask-timeout");
    this.parkTimeout = ov.getDuration("call.park-timeout");
    this.defaultMaxCallLength = ov.getDuration("call.default-max-call-length");
    this.defaultTimeZone = ov.getString("call.default-time-zone");
    this.nodeName = system.address().toString();
    this.inventory = NumberInventory.fromConfig(ov.getConfig("inventory"));
    this.products = SipProducts.fromConfig(ov.getConfig("sip"));
    this.geo = loadGeo(ov.getConfig("geo"));
    this.bus = new EventBus(system);
    this.liveCalls = new LiveCalls(system, bus);
    this.eventHub = new EventHub(system, bus, ov.getDuration("events.retention"), ov.getInt("events.retention-max-events"));
    this.sharding = ClusterSharding.get(system);
    this.drain = new Drain(system, ov.getDuration("drain.max-wait"));

    OutcomeSink sink = (callId, outcome) ->
        sharding.entityRefFor(CallEntity.TYPE_KEY, callId).tell(new CallEntity.Feed(outcome));
    this.simScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sim-media-timer");
      t.setDaemon(true);
      return t;
    });
    this.simMedia = new SimMedia(sink, http, simScheduler);
    this.sipMedia = new SipMedia(sink);
    MediaPorts media = new MediaPorts().register(SimMedia.KIND, simMedia)
        .register(SipMedia.KIND, sipMedia);
    // this node's media host: other nodes' call entities drive the sessions of this node through it
    this.edgeHost = system.systemActorOf(EdgeHost.create(media, () -> originator), "media-host",
        org.apache.pekko.actor.typed.Props.empty());
    ActorRefResolver resolver = ActorRefResolver.get(system);
    String hostId = resolver.toSerializationFormat(edgeHost);
    media.connect(hostId, node -> memberHost(resolver, node), host -> new RemoteMediaPort(castHost(host)));
    media.reachability(host -> find(org.apache.pekko.cluster.typed.Cluster.get(system).state().getUnreachable(),
        host.path().address()) == null);
    simMedia.nodeId(hostId);
    sipMedia.nodeId(hostId);
    this.edges = system.systemActorOf(EdgeDirectory.create(), "sip-edges", org.apache.pekko.actor.typed.Props.empty());
    this.webhookSettings = WebhookSettings.fromConfig(config);
    WebhookPort webhooks = (app, callId, state, from, to, ev) ->
        sharding.entityRefFor(WebhookDispatcher.TYPE_KEY, app.uuid()).tell(new WebhookDispatcher.Deliver(
            ev.accountId(), app.webhookUrl(), app.webhookMethod(), app.webhookTimeoutMs(), app.webhookFallbackUrl(),
            callId, state, from, to, ev));
    CallDeps deps = new CallDeps(media, http, bus, geo, ov.getDuration("call.max-step-wait"), webhooks,
        metrics.calls);
    WebhookDispatcher.Deps hookDeps = new WebhookDispatcher.Deps(http, webhookSettings, webhookStats, sharding,
        askTimeout);

    sharding.init(Entity.of(CallEntity.TYPE_KEY, ctx -> CallEntity.create(ctx.getEntityId(), deps, ctx.getShard()))
        .withRole(CONTROL).withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
    sharding.init(Entity.of(TnEntity.TYPE_KEY, ctx -> TnEntity.create(ctx.getEntityId())).withRole(CONTROL));
    sharding.init(Entity.of(AppEntity.TYPE_KEY, ctx -> AppEntity.create(ctx.getEntityId())).withRole(CONTROL));
    sharding.init(Entity.of(AccountEntity.TYPE_KEY, ctx -> AccountEntity.create(ctx.getEntityId())).withRole(CONTROL));
    sharding.init(Entity.of(IndexEntity.TYPE_KEY, ctx -> IndexEntity.create(ctx.getEntityId())).withRole(CONTROL));
    sharding.init(Entity.of(SipDomainEntity.TYPE_KEY, ctx -> SipDomainEntity.create(ctx.getEntityId())).withRole(CONTROL));
    sharding.init(Entity.of(SipConnectionEntity.TYPE_KEY, ctx -> SipConnectionEntity.create(ctx.getEntityId())).withRole(CONTROL));
    sharding.init(Entity.of(OutboundVoiceProfileEntity.TYPE_KEY,
        ctx -> OutboundVoiceProfileEntity.create(ctx.getEntityId())).withRole(CONTROL));
    sharding.init(Entity.of(BatchEntity.TYPE_KEY, ctx -> BatchEntity.create(ctx.getEntityId(), this::placeBatchCall,
            ctx.getShard()))
        .withRole(CONTROL).withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
    sharding.init(Entity.of(AccountLimitsEntity.TYPE_KEY, ctx -> AccountLimitsEntity.create(ctx.getEntityId())).withRole(CONTROL));
    Config limits = ov.getConfig("limits");
    this.inboundOverLimitStatus = limits.getInt("inbound-refusal-status");
    CallAdmission.Deps admission = new CallAdmission.Deps(limits.getInt("default-cps"),
        limits.getInt("default-concurrent-calls"),
        account -> sharding.entityRefFor(AccountLimitsEntity.TYPE_KEY, account)
            .ask(AccountLimitsEntity.Get::new, askTimeout),
        liveCalls::topLevel);
    sharding.init(Entity.of(CallAdmission.TYPE_KEY, ctx -> CallAdmission.create(ctx.getEntityId(), admission))
        .withRole(CONTROL));
    // event-sourced and remembered (restarted on a surviving node with what it still had to send); it passivates
    // itself when its queue has been empty for idle-timeout, never while it holds events
    sharding.init(Entity.of(WebhookDispatcher.TYPE_KEY, ctx -> WebhookDispatcher.create(ctx.getEntityId(), hookDeps,
            ctx.getShard()))
        .withRole(CONTROL)
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy().withRememberEntities(true)));
    sharding.init(Entity.of(SubscriptionsEntity.TYPE_KEY, ctx -> SubscriptionsEntity.create(ctx.getEntityId())).withRole(CONTROL));
    this.callLog = CallLogDb.get(system);
    CallLogProjection.init(system, callLog);

    io.openvoice.sms.SmsSettings smsSettings = io.openvoice.sms.SmsSettings.fromConfig(config);
    this.smsBalance = new io.openvoice.limits.SmsBalance(callLog);
    this.sms = new io.openvoice.sms.SmsService(sharding, askTimeout, bus, smsSettings, smsBalance);
    this.smsGateways = new io.openvoice.sms.gateway.GatewayRouter(
        new io.openvoice.sms.gateway.OnNetGateway(sms::receive, sms),
        io.openvoice.sms.gateway.SmsGateways.offNet(smsSettings.gateway(), system, config, sms), sms::isOnNet);
    io.openvoice.sms.SmsDeps smsDeps = sms.deps(smsGateways);
    sharding.init(Entity.of(io.openvoice.sms.SmsMessageEntity.TYPE_KEY,
            ctx -> io.openvoice.sms.SmsMessageEntity.create(ctx.getEntityId(), smsDeps, ctx.getShard()))
        .withRole(CONTROL).withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
    sharding.init(Entity.of(io.openvoice.sms.MessagingProfileEntity.TYPE_KEY,
        ctx -> io.openvoice.sms.MessagingProfileEntity.create(ctx.getEntityId())).withRole(CONTROL));
    io.openvoice.sms.SmsPoolSettings poolSettings = io.openvoice.sms.SmsPoolSettings.fromConfig(config);
    io.openvoice.sms.StickySenders stickySenders = new io.openvoice.sms.StickySenders(callLog);
    sharding.init(Entity.of(io.openvoice.sms.SmsPoolEntity.TYPE_KEY,
            ctx -> io.openvoice.sms.SmsPoolEntity.create(ctx.getEntityId(), poolSettings, stickySenders))
        .withRole(CONTROL));
    stickySenders.scheduleCleanUp(system, poolSettings);
    io.openvoice.sms.log.SmsLogProjection.init(system, callLog);
    system.getWhenTerminated().thenRun(simScheduler::shutdownNow);
  }

  /**
   * A call arriving for an app: its flow source (hosted XML, the call-flow URL, or parked until XML is pushed),
   * limits and time zone from the app and the node's defaults, and the media leg that carries it.
   */
  public CallSpec inboundSpec(String callId, String account, AppEntity.App app,
                                                String tn, String from, String to,
                                                CallSpec.MediaHandle media) {
    CallSpec.FlowSource source = app.hostedXml() != null
        ? CallSpec.FlowSource.hosted(app.hostedXml())
        : app.callFlowUrl() != null ? CallSpec.FlowSource.url(app.callFlowUrl(), app.callFlowMethod(),
            app.callFlowRequestTimeout() == null ? 10_000 : app.callFlowRequestTimeout())
        : CallSpec.FlowSource.parked(parkTimeout.toMillis());
    long maxLen = app.maxCallLengthMin() != null ? app.maxCallLengthMin() * 60_000L : defaultMaxCallLength.toMillis();
    return new CallSpec(callId, account, snapshot(app), tn, from, to, "in", source, maxLen, defaultTimeZone,
        media, null);
  }

  /** The app as a call keeps it (for its events and webhooks). */
  public static CallSpec.AppSnapshot snapshot(AppEntity.App app) {
    return new CallSpec.AppSnapshot(app.uuid(), app.name(),
        app.autoAnswer(), app.webhookUrl(), app.webhookMethod(),
        app.webhookRequestTimeout() == null ? 10_000 : app.webhookRequestTimeout(), app.maxCallLengthMin(),
        app.webhookFallbackUrl());
  }

  /**
   * A call whose flow the platform writes itself (a SIP user calling another user of a domain without app, a
   * number forwarded to its SIP connection): no app, no webhooks, the node's default limits.
   */
  public CallSpec flowSpec(String callId, String account, String xml, String tn, String from, String to,
                           CallSpec.MediaHandle media) {
    return new CallSpec(callId, account, null, tn, from, to, "in", CallSpec.FlowSource.hosted(xml),
        defaultMaxCallLength.toMillis(), defaultTimeZone, media, null);
  }

  /** Places calls on this node's SIP edge ({@code POST /rest/call}); null when the node has no SIP edge. */
  public interface Originator {
    /**
     * Starts call {@code spec} ({@code direction "out"}, its flow runs when answered) to {@code target} (a number,
     * SIP user or SIP URI) with caller id {@code callerId}. Fails with {@link OriginateFailed} when the target
     * cannot be reached at all.
     */
    java.util.concurrent.CompletionStage<io.openvoice.call.CallView> originate(CallSpec spec, String target,
                                                                              String callerId, long ringTimeoutMs);
  }

  /** A call that could not be placed: no route to its target ({@code sipStatus} says why). */
  public static final class OriginateFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final int sipStatus;

    /** True when this node has no SIP edge at all (not a matter of the target). */
    public final boolean noEdge;

    public OriginateFailed(int sipStatus, String reason) {
      this(sipStatus, reason, false);
    }

    private OriginateFailed(int sipStatus, String reason, boolean noEdge) {
      super(reason, null, false, false);
      this.sipStatus = sipStatus;
      this.noEdge = noEdge;
    }

    static OriginateFailed noEdge() {
      return new OriginateFailed(503, "this node has no SIP edge to place calls from", true);
    }
  }

  /** A call with this id exists already: placed before under the same idempotency key or batch position. */
  public static final class CallExists extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final String callId;

    public CallExists(String callId) {
      super("call " + callId + " exists already", null, false, false);
      this.callId = callId;
    }
  }

  /** Set by the SIP edge of this node when it starts. */
  public volatile Originator originator;

  /** A call refused by its account's limits: {@code reason} "cps" or "concurrent_calls". */
  public static final class OverLimit extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final String reason;
    public final int limit;

    public OverLimit(String reason, int limit) {
      super("account over its " + reason + " limit (" + limit + ")", null, false, false);
      this.reason = reason;
      this.limit = limit;
    }
  }

  /** A placed call, and the account's calls-per-second limit that admitted it (for callers that pace). */
  public record PlacedCall(io.openvoice.call.CallView call, int cps) {}

  /**
   * Places call {@code spec} to {@code to} if the account's limits admit it now: fails with {@link OverLimit},
   * or {@link OriginateFailed} when there is no SIP edge here or no route to {@code to}.
   */
  public java.util.concurrent.CompletionStage<PlacedCall> placeCall(CallSpec spec, String to, long ringTimeoutMs) {
    return admit(spec.accountId(), spec.callId()).thenCompose(a -> {
      if (!a.granted()) throw new OverLimit(a.reason(), a.limit());
      Originator o = originator;
      if (o == null) o = this::originateElsewhere;
      return o.originate(spec, to, spec.tn(), ringTimeoutMs).thenApply(v -> new PlacedCall(v, a.limit()));
    });
  }

  /**
   * Places a call through the SIP edge of another node (this one has none): the edges take turns. Fails like a
   * local edge would ({@link OriginateFailed}, {@link CallExists}); with no edge in the cluster, 503.
   */
  private java.util.concurrent.CompletionStage<io.openvoice.call.CallView> originateElsewhere(
      CallSpec spec, String target, String callerId, long ringTimeoutMs) {
    return org.apache.pekko.actor.typed.javadsl.AskPattern.<EdgeDirectory.Command, EdgeDirectory.Edge>ask(
            edges, EdgeDirectory.Next::new, askTimeout, system.scheduler())
        .thenCompose(edge -> {
          if (edge.host() == null) throw OriginateFailed.noEdge();
          return org.apache.pekko.actor.typed.javadsl.AskPattern.<EdgeHost.Command, EdgeHost.Originated>ask(edge.host(),
              r -> new EdgeHost.Originate(spec, target, callerId, ringTimeoutMs, r), askTimeout, system.scheduler());
        })
        .thenApply(o -> {
          if (o.call() != null) return o.call();
          if (o.status() == 409) throw new CallExists(spec.callId());
          throw new OriginateFailed(o.status(), o.reason());
        });
  }

  /** One call of a bulk call: the next phone, placed now if the account's limits admit it. */
  private java.util.concurrent.CompletionStage<BatchEntity.Placed> placeBatchCall(BatchEntity.Batch b, int index) {
    String phone = b.phones().get(index);
    // one id per batch position: a call placed just before a crash is found again, not placed twice
    String callId = java.util.UUID.nameUUIDFromBytes((b.uuid() + ":" + index)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    CallSpec spec = new CallSpec(callId, b.accountId(), null, b.tn(), b.tn(), phone,
        "out", CallSpec.FlowSource.hosted(b.xml()), defaultMaxCallLength.toMillis(), defaultTimeZone, null, null,
        b.outboundVoiceProfile());
    return placeCall(spec, phone, 30_000).handle((placed, err) -> {
      if (err == null) return BatchEntity.Placed.started(placed.cps());
      Throwable t = io.openvoice.common.Errors.unwrap(err);
      if (t instanceof OverLimit) return BatchEntity.Placed.THROTTLED;
      if (t instanceof CallExists) return BatchEntity.Placed.started(0); // placed before a restart of the batch
      system.log().info("batch {}: call {} of {} to {} not placed: {}", b.uuid(), index + 1, b.phones().size(), phone,
          t.getMessage());
      return BatchEntity.Placed.FAILED;
    });
  }

  /** Asks the account's admission whether call {@code callId} may start now (calls per second, live calls). */
  public java.util.concurrent.CompletionStage<CallAdmission.Admission> admit(String accountId, String callId) {
    return sharding.entityRefFor(CallAdmission.TYPE_KEY, accountId)
        .ask(r -> new CallAdmission.Acquire(callId, r), askTimeout);
  }

  private static GeoLookup loadGeo(Config c) throws Exception {
    String county = c.getString("county-csv");
    String areas = c.getString("area-code-csv");
    return NanpGeoLookup.load(county.isBlank() ? null : Path.of(county), areas.isBlank() ? null : Path.of(areas));
  }
}
