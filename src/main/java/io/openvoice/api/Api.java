package io.openvoice.api;

import io.openvoice.api.openapi.OpenApiDocument;
import io.openvoice.node.Platform;
import io.openvoice.recording.RecordingStore;
import io.openvoice.sms.kannel.KannelGateway;
import io.openvoice.sms.kannel.KannelRoutes;
import java.util.concurrent.CompletableFuture;

/** The whole route table of the REST API. */
public final class Api {
  private Api() {}

  public static Router routes(Platform p) {
    Asks asks = new Asks(p);
    Router r = new Router();
    r.addPublic("GET", "/health", req -> CompletableFuture.completedFuture(Reply.ok(java.util.Map.of("status", "ok"))));
    r.addPublic("GET", "/rest/openapi.json", req -> CompletableFuture.completedFuture(new Reply(200,
        org.apache.pekko.http.javadsl.model.HttpResponse.create().withEntity(
            org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_JSON, OpenApiDocument.json()),
        java.util.Map.of())));
    new NodeApi(p).register(r);
    new MetricsApi(p).register(r);
    new AuthApi(p, asks).register(r);
    new AccountApi(asks, p.system.dispatchers().lookup(
        org.apache.pekko.actor.typed.DispatcherSelector.fromConfig("openvoice-blocking-dispatcher"))).register(r);
    new WebhookApi(p, asks).register(r);
    NumberApi numbers = new NumberApi(p, asks);
    numbers.register(r);
    AppApi apps = new AppApi(p, asks, numbers);
    new CallApi(p, asks, apps).register(r); // before AppApi: /rest/sip/app/call/... are literal paths
    new CallLogApi(p, apps).register(r);
    apps.register(r);
    SipDomainApi domains = new SipDomainApi(asks);
    domains.register(r);
    new SipInviteApi(domains, asks).register(r);
    new SipConnectionApi(p.products, asks, numbers).register(r);
    new OutboundVoiceProfileApi(p.products, asks).register(r);
    new LimitsApi(p, asks).register(r);
    new OutboundCallApi(p, asks, numbers).register(r);
    new BatchApi(p, asks, numbers).register(r);
    new SubscriptionApi(p, asks).register(r);
    MessagingProfileApi messaging = new MessagingProfileApi(p, asks, numbers);
    messaging.register(r);
    new SmsApi(p, asks, messaging).register(r);
    // Kannel's callbacks (delivery reports, inbound messages) only on a node whose off-net gateway is Kannel
    if (p.smsGateways.offNet() instanceof KannelGateway kannel && kannel.sink() != null) {
      new KannelRoutes(kannel.settings(), kannel.sink()).register(r);
    }
    new RecordingApi(RecordingStore.fromConfig(p.config, p.system.dispatchers().lookup(
        org.apache.pekko.actor.typed.DispatcherSelector.fromConfig("openvoice-blocking-dispatcher")))).register(r);
    return r;
  }
}
