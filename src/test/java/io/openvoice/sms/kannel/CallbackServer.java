package io.openvoice.sms.kannel;

import io.openvoice.api.ApiException;
import io.openvoice.api.Reply;
import io.openvoice.api.Req;
import io.openvoice.api.Router;
import io.openvoice.sms.gateway.SmsSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;

/**
 * The platform's side of Kannel's callbacks for the tests: {@link KannelRoutes} on a {@link Router}, served by a
 * real Pekko HTTP server on a free loopback port, the way the API server runs public routes (route match, whole
 * body, handler, a raw {@link HttpResponse} payload as it is, {@link ApiException} → its status). What reaches
 * the sink is recorded.
 */
final class CallbackServer implements AutoCloseable {
  final RecordingSink sink = new RecordingSink();
  private final Router router = new Router();
  private final Materializer mat;
  private final ServerBinding binding;

  CallbackServer(ActorSystem<?> system, String token) throws Exception {
    new KannelRoutes(token, sink).register(router);
    mat = Materializer.matFromSystem(system);
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(this::handle).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  int port() {
    return binding.localAddress().getPort();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  private CompletionStage<HttpResponse> handle(HttpRequest req) {
    Router.Match m = router.match(req.method().value(), req.getUri().path(), new boolean[1]);
    if (m == null) {
      req.discardEntityBytes(mat);
      return CompletableFuture.completedFuture(HttpResponse.create().withStatus(404));
    }
    return req.entity().toStrict(5_000, mat).thenCompose(e -> {
      Req r = new Req(req, m.vars(), new HashMap<>(req.getUri().query().toMap()), e.getData().toArray(),
          req.entity().getContentType().mediaType().toString(), null);
      try {
        return m.route().handler().handle(r);
      } catch (Exception ex) {
        return CompletableFuture.<Reply>failedFuture(ex);
      }
    }).thenApply(reply -> reply.payload() instanceof HttpResponse raw ? raw : HttpResponse.create().withStatus(reply.status()))
        .exceptionally(err -> {
          Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
          int status = t instanceof ApiException a ? a.status : 500;
          return HttpResponse.create().withStatus(status);
        });
  }

  @Override
  public void close() {
    binding.unbind().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** An {@link SmsSink} that keeps what it is given. */
  static final class RecordingSink implements SmsSink {
    final BlockingQueue<InboundSms> inbound = new LinkedBlockingQueue<>();
    final BlockingQueue<DeliveryReport> reports = new LinkedBlockingQueue<>();

    /** When set, {@link #receive} fails with it after recording the message (the platform could not keep it). */
    volatile RuntimeException failWith;

    @Override
    public void received(InboundSms sms) {
      inbound.add(sms);
    }

    @Override
    public java.util.concurrent.CompletionStage<String> receive(InboundSms sms) {
      received(sms);
      RuntimeException f = failWith;
      return f == null ? java.util.concurrent.CompletableFuture.completedFuture("kept")
          : java.util.concurrent.CompletableFuture.failedFuture(f);
    }

    /** When set, {@link #report} fails with it after recording the report (the platform could not keep it). */
    volatile RuntimeException failReportWith;

    @Override
    public void deliveryReport(DeliveryReport report) {
      reports.add(report);
    }

    @Override
    public CompletionStage<Void> report(DeliveryReport report) {
      deliveryReport(report);
      RuntimeException f = failReportWith;
      return f == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(f);
    }

    InboundSms nextInbound(Duration within) throws InterruptedException {
      return inbound.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    DeliveryReport nextReport(Duration within) throws InterruptedException {
      return reports.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
