package io.openvoice.sip;

import io.openvoice.app.AppEntity;
import io.openvoice.call.CallEntity;
import io.openvoice.call.CallSpec;
import io.openvoice.call.CallView;
import io.openvoice.call.Q850;
import io.openvoice.media.Codec;
import io.openvoice.media.rtp.RtpEngine;
import io.openvoice.media.rtp.RtpSession;
import io.openvoice.node.Platform;
import io.openvoice.number.CallerId;
import io.openvoice.number.TnEntity;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import io.openvoice.call.OutcomeSink;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP edge: a JAIN-SIP RI stack on UDP and TCP. Its callbacks only translate: an INVITE is routed through the
 * number's entity to a new call entity (asks, never waits), BYE and CANCEL become outcomes for that call, OPTIONS
 * is answered at once (503 while the node refuses calls). Media for the call runs in {@link SipCall}.
 */
public final class SipEdge implements SipListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SipEdge.class);

  private final SipSettings settings;
  private final SetupGate setups;
  private final Platform platform;
  private final SipMedia media;
  private final RtpEngine rtp;
  private final SipPrompts prompts;
  private final ScheduledExecutorService timers;
  private final SipStack stack;
  private final SipProvider provider;
  private final MessageFactory messages;
  private final HeaderFactory headers;
  private final AddressFactory addresses;
  private final SipParts parts;
  private final SipMediaServices services;
  private final SipRouting routing;
  private final SipRegistrations registrations;
  private final SipDialer dialer;
  private final OutcomeSink sink;
  private volatile boolean accepting = true;

  /**
   * @param authSecret the secret digest nonces are signed with; every node of a cluster must share it
   * @param blocking where host names of SIP switches are resolved
   */
  public SipEdge(SipSettings settings, Platform platform, SipMedia media, RtpEngine rtp, SipPrompts prompts,
                 SipMediaServices services, ScheduledExecutorService timers, String authSecret, Executor blocking)
      throws Exception {
    this.services = services;
    this.settings = settings;
    this.setups = new SetupGate(settings.maxSetupsInProgress());
    this.platform = platform;
    this.media = media;
    this.rtp = rtp;
    this.prompts = prompts;
    this.timers = timers;
    SipFactory factory = SipFactory.getInstance();
    factory.setPathName("gov.nist");
    Properties p = new Properties();
    p.setProperty("javax.sip.STACK_NAME", "openvoice-" + settings.port());
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
    p.setProperty("gov.nist.javax.sip.STACK_LOGGER", SipStackLogging.Stack.class.getName());
    p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", SipStackLogging.Messages.class.getName());
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
    if (settings.transports().contains("tls")) tlsProperties(settings.tls(), p);
    p.setProperty("javax.sip.ROUTER_PATH", SipNextHopRouter.class.getName());
    p.setProperty("javax.sip.USE_ROUTER_FOR_ALL_URIS", "true");
    SipNextHopRouter.install(p.getProperty("javax.sip.STACK_NAME"), (sipCallId, fromTag) -> {
      SipEndpoint e = media.side(sipCallId, fromTag);
      return e == null ? null : e.nextHop();
    });
    this.stack = factory.createSipStack(p);
    this.messages = factory.createMessageFactory();
    this.headers = factory.createHeaderFactory();
    this.addresses = factory.createAddressFactory();
    SipProvider first = null;
    for (String transport : settings.transports()) {
      ListeningPoint lp = stack.createListeningPoint(settings.bind(), settings.portOf(transport), transport);
      if (first == null) {
        first = stack.createSipProvider(lp);
      } else {
        first.addListeningPoint(lp);
      }
    }
    this.provider = first;
    Map<String, ContactHeader> contacts = new HashMap<>();
    for (String transport : settings.transports()) contacts.put(transport, contact(transport));
    this.parts = new SipParts(provider, messages, headers, addresses, Map.copyOf(contacts), settings);
    this.sink = (id, o) -> platform.sharding.entityRefFor(CallEntity.TYPE_KEY, id).tell(new CallEntity.Feed(o));
    SipAuth auth = new SipAuth(new Digest(authSecret), messages, headers, blocking);
    Registrar registrar = new Registrar(platform.system, platform.askTimeout);
    this.routing = new SipRouting(platform, auth, settings);
    this.registrations = new SipRegistrations(platform, registrar, auth, messages, headers, addresses,
        settings.publicAddress() + ":" + settings.port());
    this.dialer = new SipDialer(platform, registrar, parts, rtp, media, sink, new SipTrunks(platform, blocking));
    provider.addSipListener(this);
    media.useJoins(new SipJoins(media, timers, java.time.Duration.ofSeconds(5)));
    platform.originator = this::originate;
    stack.start();
    platform.edgeStarted();
    log.info("SIP edge listening on {}", describe());
  }

  /**
   * Places a call (REST {@code POST /rest/call}): resolves {@code target} like a Dial target (a number through a
   * SIP connection, a registered user, a SIP URI), sends the INVITE as a leg reporting to the call's own entity,
   * and runs the flow on a {@link SipCall} whose signalling side is that leg once the far end answers.
   */
  java.util.concurrent.CompletionStage<CallView> originate(CallSpec spec, String target, String callerId,
                                                          long ringTimeoutMs) {
    if (!accepting || media.activeCalls() >= settings.maxCalls()) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          new Platform.OriginateFailed(503, "this node takes no new calls now"));
    }
    io.openvoice.xml.Verb.TargetKind kind = target == null ? null : io.openvoice.xml.Verb.targetKindOf(target);
    if (kind == null) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          new Platform.OriginateFailed(400, "not a number, user@domain or sip: URI: " + target));
    }
    io.openvoice.flow.Action.Dial.Target t = new io.openvoice.flow.Action.Dial.Target(kind.name(), target);
    return dialer.destination(t, new SipDialer.Context(spec, null, SipDialer.Context.DEFAULT_MAX_FORWARDS))
        .handle((d, err) -> {
          if (err == null) return d;
          Throwable cause = io.openvoice.common.Errors.unwrap(err);
          throw cause instanceof Refused r ? new Platform.OriginateFailed(r.status, r.getMessage())
              : new Platform.OriginateFailed(500, io.openvoice.common.Errors.describe(err));
        })
        .thenCompose(d -> place(spec, d, callerId, ringTimeoutMs));
  }

  private java.util.concurrent.CompletionStage<CallView> place(CallSpec spec, SipLeg.Destination d, String callerId,
                                                              long ringTimeoutMs) {
    RtpSession session;
    try {
      session = rtp.open();
    } catch (RuntimeException e) {
      throw new Platform.OriginateFailed(503, "no RTP port: " + e.getMessage());
    }
    session.symmetricRtp(settings.symmetricRtp());
    String sipCallId = provider.getNewCallId().getCallId();
    CallSpec placed = new CallSpec(spec.callId(), spec.accountId(), spec.app(), spec.tn(), spec.from(), spec.to(),
        "out", spec.source(), spec.maxCallLengthMs(), spec.timeZone(), media.handle(sipCallId), null,
        spec.outboundVoiceProfile());
    SipOutboundSide side = new SipOutboundSide();
    SipCall call = new SipCall(spec.callId(), sipCallId, side, session, sink, timers, prompts, dialer,
        new SipDialer.Context(placed, null, SipDialer.Context.DEFAULT_MAX_FORWARDS), services);
    SipLeg leg = new SipLeg(call, spec.callId(), sipCallId, d, parts, session, sink, side);
    side.attach(leg, call);
    if (!media.register(call)) {
      session.close();
      return java.util.concurrent.CompletableFuture.failedFuture(new Platform.CallExists(spec.callId()));
    }
    return platform.sharding.entityRefFor(CallEntity.TYPE_KEY, spec.callId())
        .<CallView>askWithStatus(r -> new CallEntity.Start(placed, r), platform.askTimeout)
        .whenComplete((v, err) -> {
          if (err != null) {
            media.unregister(call);
            session.close();
            return;
          }
          synchronized (call) {
            leg.start(callerId, null, SipDialer.Context.DEFAULT_MAX_FORWARDS - 1);
            side.ringTimer(timers.schedule(() -> {
              synchronized (call) {
                if (leg.state() != SipLeg.State.ANSWERED) leg.hangup(Q850.NO_ANSWER, "no_answer");
              }
            }, ringTimeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS));
          }
        })
        .exceptionally(err -> {
          if (CallEntity.isAlreadyExists(err)) {
            throw new Platform.CallExists(spec.callId()); // started before (a retried command, a resumed batch)
          }
          Throwable t = io.openvoice.common.Errors.unwrap(err);
          throw t instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(t);
        });
  }

  /** Where the edge listens, for the start-up line. */
  public String describe() {
    String plain = String.join("/", settings.transports().stream().filter(t -> !t.equals("tls")).toList());
    String tls = settings.transports().contains("tls") ? ", tls on port " + settings.tls().port() : "";
    return settings.bind() + ":" + settings.port() + " (" + plain + ")" + tls + ", advertising " + settings.publicAddress();
  }

  /** Stop taking new calls (drain): INVITE and OPTIONS get 503 from now on; live calls carry on. */
  public void refuseNewCalls() {
    accepting = false;
  }

  // ---- requests ------------------------------------------------------------------------------------------

  @Override
  public void processRequest(RequestEvent event) {
    Request req = event.getRequest();
    try {
      switch (req.getMethod()) {
        case Request.INVITE -> onInvite(event);
        case Request.ACK -> { } // the dialog is confirmed; nothing to do
        case Request.BYE -> onBye(event);
        case Request.CANCEL -> onCancel(event);
        case Request.OPTIONS -> reply(event, accepting ? Response.OK : Response.SERVICE_UNAVAILABLE);
        case Request.REGISTER -> onRegister(event);
        case Request.INFO -> onInfo(event);
        default -> reply(event, Response.NOT_IMPLEMENTED);
      }
    } catch (Exception e) {
      log.warn("{} from {} failed: {}", req.getMethod(), req.getHeader(FromHeader.NAME), e.toString());
    }
  }

  private void onInvite(RequestEvent event) throws Exception {
    Request req = event.getRequest();
    if (((javax.sip.header.ToHeader) req.getHeader(javax.sip.header.ToHeader.NAME)).getTag() != null) {
      onReInvite(event);
      return;
    }
    ServerTransaction tx = event.getServerTransaction() != null ? event.getServerTransaction()
        : provider.getNewServerTransaction(req);
    tx.sendResponse(messages.createResponse(Response.TRYING, req));
    if (!accepting || media.activeCalls() >= settings.maxCalls()) {
      tx.sendResponse(messages.createResponse(Response.SERVICE_UNAVAILABLE, req));
      return;
    }
    if (maxForwards(req) <= 0) { // looped back to us (or round other B2BUAs) once too often
      tx.sendResponse(messages.createResponse(Response.TOO_MANY_HOPS, req));
      return;
    }
    Sdp.Media offer = offerOrRefuse(tx);
    if (offer == null) return;
    Codec codec = SipLeg.chooseCodec(offer);
    String sipCallId = callIdOf(req);
    String toTag = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    javax.sip.address.Hop natHop = natHop(req, event);
    String callId = UUID.randomUUID().toString();
    if (!setups.tryEnter()) {
      log.debug("INVITE {} refused: {} set-ups in progress", sipCallId, setups.inProgress());
      tx.sendResponse(messages.createResponse(Response.SERVICE_UNAVAILABLE, req));
      return;
    }
    CompletableFuture.completedFuture(null).thenCompose(x -> routing.route(req, sourceIp(event), toTag))
        .thenCompose(route -> platform.admit(route.accountId(), callId).thenApply(a -> {
          if (!a.granted()) {
            throw new Refused(platform.inboundOverLimitStatus, "account " + route.accountId() + " is at its "
                + a.reason() + " limit (" + a.limit() + ")");
          }
          return route;
        }))
        .thenCompose(route -> startCall(tx, req, callId, sipCallId, offer, codec, route, natHop))
        .whenComplete((view, err) -> {
          setups.exit();
          if (err == null) return;
          Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
          int status = cause instanceof Refused r ? r.status
              : cause instanceof java.util.concurrent.TimeoutException ? Response.SERVICE_UNAVAILABLE // overloaded: retry elsewhere
              : Response.SERVER_INTERNAL_ERROR;
          if (!(cause instanceof Refused)) log.warn("INVITE {} to {} failed: {}", sipCallId, req.getRequestURI(), cause.toString());
          else log.debug("INVITE {} to {} refused: {}", sipCallId, req.getRequestURI(), cause.getMessage());
          try {
            if (cause instanceof Refused r && r.response != null) tx.sendResponse(r.response);
            else tx.sendResponse(messages.createResponse(status, req));
          } catch (Exception e) {
            log.debug("refusal of {} not sent: {}", sipCallId, e.toString());
          }
        });
  }

  private java.util.concurrent.CompletionStage<CallView> startCall(ServerTransaction tx, Request req, String callId,
      String sipCallId,
      Sdp.Media offer, Codec codec, SipRouting.Route route, javax.sip.address.Hop natHop) {
    RtpSession session;
    try {
      session = rtp.open();
    } catch (RuntimeException e) {
      throw new Refused(Response.SERVICE_UNAVAILABLE, "no RTP port: " + e.getMessage());
    }
    try {
      session.symmetricRtp(settings.symmetricRtp());
      session.remote(new InetSocketAddress(offer.address(), offer.port()), codec, offer.telephoneEvent());
      String sdp = Sdp.audio(settings.publicAddress(), session.localPort(), System.currentTimeMillis(), 1,
          codec.payloadType, offer.telephoneEvent() >= 0 ? offer.telephoneEvent() : -1, Sdp.answerDirection(offer.direction()));
      SipDialogSide side = new SipDialogSide(provider, messages, headers, tx, parts.contact(transportOf(req)), sdp,
          UUID.randomUUID().toString().substring(0, 8), natHop);
      CallSpec spec = route.app() != null
          ? platform.inboundSpec(callId, route.accountId(), route.app(), route.tn(), route.from(), route.to(),
              media.handle(sipCallId))
          : platform.flowSpec(callId, route.accountId(), route.xml(), route.tn(), route.from(), route.to(),
              media.handle(sipCallId));
      SipCall call = new SipCall(callId, sipCallId, side, session, sink, timers, prompts, dialer,
          new SipDialer.Context(spec, route.callerDomain(), maxForwards(req)), services);
      media.register(call);
      return platform.sharding.entityRefFor(CallEntity.TYPE_KEY, callId)
          .<CallView>askWithStatus(r -> new CallEntity.Start(spec, r), platform.askTimeout)
          .whenComplete((v, err) -> {
            if (err != null) {
              media.unregister(call);
              session.close();
              // the Start may still be applied after the ask gave up: that call must end at once, not wait for media
              platform.sharding.entityRefFor(CallEntity.TYPE_KEY, callId).tell(new CallEntity.Feed(
                  new io.openvoice.flow.Outcome.CallEnded(Q850.NORMAL_TEMPORARY_FAILURE, "sip_start_failed: " + err.getMessage())));
            } else {
              side.ringing();
            }
          });
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private void onBye(RequestEvent event) throws Exception {
    Request req = event.getRequest();
    ServerTransaction tx = event.getServerTransaction() != null ? event.getServerTransaction()
        : provider.getNewServerTransaction(req);
    tx.sendResponse(messages.createResponse(Response.OK, req));
    SipEndpoint call = media.side(callIdOf(req), toTagOf(req));
    if (call != null) call.remoteEnded(Q850.NORMAL_CLEARING, call instanceof SipLeg ? "callee hung up" : "caller hung up");
  }

  private void onCancel(RequestEvent event) throws Exception {
    Request req = event.getRequest();
    ServerTransaction tx = event.getServerTransaction();
    if (tx == null) {
      provider.sendResponse(messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, req));
      return;
    }
    tx.sendResponse(messages.createResponse(Response.OK, req));
    if (media.inbound(callIdOf(req)) instanceof SipCall call) {
      call.cancelledByCaller();
      call.remoteEnded(Q850.ORIGINATOR_CANCEL, "caller cancelled");
    }
  }

  private void reply(RequestEvent event, int status) throws Exception {
    Response r = messages.createResponse(status, event.getRequest());
    if (event.getServerTransaction() != null) event.getServerTransaction().sendResponse(r);
    else provider.sendResponse(r);
  }

  // ---- stack callbacks we only log -------------------------------------------------------------------------

  /**
   * A re-INVITE in a dialog (hold and resume, a new media address): the session sends to the new address, and
   * stops sending while the far end holds us (sendonly/inactive, or the old 0.0.0.0 form); answered with our SDP.
   */
  private void onReInvite(RequestEvent event) throws Exception {
    Request req = event.getRequest();
    ServerTransaction tx = event.getServerTransaction() != null ? event.getServerTransaction()
        : provider.getNewServerTransaction(req);
    SipEndpoint call = media.side(callIdOf(req), toTagOf(req));
    if (call == null) {
      tx.sendResponse(messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, req));
      return;
    }
    Sdp.Media offer = offerOrRefuse(tx);
    if (offer == null) return;
    Codec codec = SipLeg.chooseCodec(offer);
    RtpSession session = call.rtpSession();
    if (!"0.0.0.0".equals(offer.address())) {
      session.remote(new InetSocketAddress(offer.address(), offer.port()), codec, offer.telephoneEvent());
    }
    String theirs = "0.0.0.0".equals(offer.address()) ? "sendonly" : offer.direction();
    session.direction(io.openvoice.media.rtp.Direction.ofSdp(theirs).reversed());
    Response ok = messages.createResponse(Response.OK, req);
    ok.addHeader((ContactHeader) parts.contact(transportOf(req)).clone());
    ok.setContent(Sdp.audio(settings.publicAddress(), session.localPort(), 1, System.currentTimeMillis() / 1000,
            codec.payloadType, offer.telephoneEvent(), Sdp.answerDirection(theirs)),
        headers.createContentTypeHeader("application", "sdp"));
    tx.sendResponse(ok);
    log.debug("call {}: re-INVITE, far end now {}", call.callId(), theirs);
  }

  /** The request's audio offer with a G.711 codec in it, or null after answering 488. */
  private Sdp.Media offerOrRefuse(ServerTransaction tx) throws Exception {
    Request req = tx.getRequest();
    try {
      Sdp.Media offer = Sdp.parseAudio(req.getRawContent() == null ? null
          : new String(req.getRawContent(), StandardCharsets.UTF_8));
      SipLeg.chooseCodec(offer);
      return offer;
    } catch (IllegalArgumentException e) {
      tx.sendResponse(messages.createResponse(Response.NOT_ACCEPTABLE_HERE, req));
      return null;
    }
  }

  /** SIP INFO digits (application/dtmf-relay "Signal=5", or application/dtmf "5"), fed like RFC 4733 ones. */
  private void onInfo(RequestEvent event) throws Exception {
    Request req = event.getRequest();
    SipEndpoint call = media.side(callIdOf(req), toTagOf(req));
    if (call == null) {
      reply(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
      return;
    }
    javax.sip.header.ContentTypeHeader ct =
        (javax.sip.header.ContentTypeHeader) req.getHeader(javax.sip.header.ContentTypeHeader.NAME);
    String type = ct == null ? "" : (ct.getContentType() + "/" + ct.getContentSubType()).toLowerCase(java.util.Locale.ROOT);
    String body = req.getRawContent() == null ? "" : new String(req.getRawContent(), StandardCharsets.UTF_8);
    Character digit = infoDigit(type, body);
    if (digit == null && !type.isEmpty() && !type.equals("/")) {
      reply(event, type.startsWith("application/dtmf") ? Response.BAD_REQUEST : Response.UNSUPPORTED_MEDIA_TYPE);
      return;
    }
    reply(event, Response.OK);
    if (digit != null) call.infoDigit(digit);
  }

  /** The digit of an INFO body, or null. */
  static Character infoDigit(String contentType, String body) {
    String signal = null;
    if (contentType.equals("application/dtmf-relay")) {
      for (String line : body.split("\r?\n")) {
        String[] kv = line.split("=", 2);
        if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("Signal")) signal = kv[1].trim();
      }
    } else if (contentType.equals("application/dtmf")) {
      signal = body.trim();
    }
    if (signal == null || signal.length() != 1) return null;
    char c = Character.toUpperCase(signal.charAt(0));
    return "0123456789*#ABCD".indexOf(c) >= 0 ? c : null;
  }

  private void onRegister(RequestEvent event) throws Exception {
    ServerTransaction tx = event.getServerTransaction() != null ? event.getServerTransaction()
        : provider.getNewServerTransaction(event.getRequest());
    if (!accepting) {
      tx.sendResponse(messages.createResponse(Response.SERVICE_UNAVAILABLE, event.getRequest()));
      return;
    }
    int port = event instanceof gov.nist.javax.sip.RequestEventExt ext ? ext.getRemotePort() : 5060;
    registrations.onRegister(tx, sourceIp(event), port);
  }

  @Override
  public void processResponse(ResponseEvent event) {
    javax.sip.message.Response r = event.getResponse();
    javax.sip.header.CSeqHeader cseq = (javax.sip.header.CSeqHeader) r.getHeader(javax.sip.header.CSeqHeader.NAME);
    if (cseq == null || !Request.INVITE.equals(cseq.getMethod())) return; // answers to our BYE/CANCEL
    SipLeg leg = media.leg(((javax.sip.header.CallIdHeader) r.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId());
    if (leg != null) {
      leg.onResponse(event);
    } else if (r.getStatusCode() >= 200 && r.getStatusCode() < 300 && event.getDialog() != null) {
      // a callee that answered a leg we had already given up on (its call is over): ACK it and hang up at once
      try {
        javax.sip.Dialog d = event.getDialog();
        d.sendAck(d.createAck(cseq.getSeqNumber()));
        d.sendRequest(provider.getNewClientTransaction(d.createRequest(Request.BYE)));
      } catch (Exception e) {
        log.debug("late 200 for an ended leg not hung up: {}", e.toString());
      }
    }
  }

  @Override
  public void processTimeout(TimeoutEvent event) {
    if (event.isServerTransaction() || event.getClientTransaction() == null) return;
    Request req = event.getClientTransaction().getRequest();
    SipLeg leg = Request.INVITE.equals(req.getMethod()) ? media.leg(callIdOf(req)) : null;
    if (leg != null) {
      leg.onTimeout();
    }
  }
  @Override public void processIOException(IOExceptionEvent event) { log.debug("SIP I/O error towards {}:{}", event.getHost(), event.getPort()); }
  @Override public void processTransactionTerminated(TransactionTerminatedEvent event) { }
  @Override public void processDialogTerminated(DialogTerminatedEvent event) { }

  // ---- helpers -------------------------------------------------------------------------------------------

  /** Our Contact for dialogs on {@code transport}: UDP as it is, TCP and TLS with their transport (and port). */
  private ContactHeader contact(String transport) throws Exception {
    SipURI uri = addresses.createSipURI("openvoice", settings.publicAddress());
    uri.setPort(settings.portOf(transport));
    if (!"udp".equals(transport)) uri.setTransportParam(transport);
    return headers.createContactHeader(addresses.createAddress(uri));
  }

  /**
   * JAIN-SIP RI reads its TLS set-up from the stack properties: the key store with our certificate, the trust
   * store for peers' certificates, whether a client certificate is asked for, and TLS 1.2/1.3 only.
   */
  static void tlsProperties(SipSettings.Tls tls, Properties p) {
    p.setProperty("javax.net.ssl.keyStore", tls.keyStore());
    p.setProperty("javax.net.ssl.keyStorePassword", tls.keyStorePassword());
    p.setProperty("javax.net.ssl.keyStoreType", tls.keyStoreType());
    if (!tls.trustStore().isBlank()) {
      p.setProperty("javax.net.ssl.trustStore", tls.trustStore());
      p.setProperty("javax.net.ssl.trustStorePassword", tls.trustStorePassword());
      p.setProperty("javax.net.ssl.trustStoreType", tls.keyStoreType());
    }
    p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", tls.clientAuth());
    p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3, TLSv1.2");
    // the RI's own default suites are RSA/3DES/anonymous ones of 2008 that no EC certificate (nor a current
    // phone) can use: the JVM's defaults instead, which follow the JDK's security policy
    try {
      p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES",
          String.join(",", javax.net.ssl.SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context in this JVM", e);
    }
  }

  /**
   * A caller behind NAT puts its private address in Contact; our BYE (and any in-dialog request) must go where
   * its INVITE came from instead, which the NAT maps back. Null when the Contact names the source host itself.
   */
  static javax.sip.address.Hop natHop(Request req, RequestEvent event) {
    if (!(event instanceof gov.nist.javax.sip.RequestEventExt ext) || ext.getRemoteIpAddress() == null) return null;
    ContactHeader c = (ContactHeader) req.getHeader(ContactHeader.NAME);
    if (c == null || !(c.getAddress().getURI() instanceof SipURI uri)) return null;
    if (uri.getHost().replace("[", "").replace("]", "").equalsIgnoreCase(ext.getRemoteIpAddress())) return null;
    return new gov.nist.javax.sip.stack.HopImpl(ext.getRemoteIpAddress(), ext.getRemotePort(), transportOf(req));
  }

  /** A request's Max-Forwards; the usual 70 when it has none. */
  static int maxForwards(Request req) {
    javax.sip.header.MaxForwardsHeader mf = (javax.sip.header.MaxForwardsHeader) req.getHeader(
        javax.sip.header.MaxForwardsHeader.NAME);
    return mf == null ? SipDialer.Context.DEFAULT_MAX_FORWARDS : mf.getMaxForwards();
  }

  /** The transport a request came over (its top Via), lower case. */
  static String transportOf(Request req) {
    javax.sip.header.ViaHeader via = (javax.sip.header.ViaHeader) req.getHeader(javax.sip.header.ViaHeader.NAME);
    return via == null ? "udp" : via.getTransport().toLowerCase(java.util.Locale.ROOT);
  }

  /** The To tag of a request we received: our tag in its dialog (null on a dialog-creating request). */
  private static String toTagOf(Request req) {
    javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) req.getHeader(javax.sip.header.ToHeader.NAME);
    return to == null ? null : to.getTag();
  }

  private static String callIdOf(Request req) {
    return ((javax.sip.header.CallIdHeader) req.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId();
  }

  @Override
  public void close() {
    accepting = false;
    try {
      stack.stop();
    } catch (RuntimeException e) {
      log.debug("SIP stack stop: {}", e.toString());
    }
    SipNextHopRouter.uninstall(stack.getStackName());
  }

  private static String sourceIp(RequestEvent event) {
    return event instanceof gov.nist.javax.sip.RequestEventExt ext ? ext.getRemoteIpAddress() : "0.0.0.0";
  }
}
