package io.openvoice.api;

import io.openvoice.metrics.NodeMetrics;
import io.openvoice.metrics.PromText;
import io.openvoice.node.Platform;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * {@code GET /metrics}: this node's metrics in the Prometheus text format 0.0.4, without authentication (like
 * {@code /health}: scrapers reach it on the node's API port; keep the port off the public internet or filter the
 * path in front). Asynchronous: the shard counts are asked of the regions (cached a few seconds).
 */
final class MetricsApi {
  private static final ContentType TEXT = ContentTypes.parse(PromText.CONTENT_TYPE);
  private final Platform p;

  MetricsApi(Platform p) {
    this.p = p;
  }

  void register(Router r) {
    r.addPublic("GET", "/metrics", req -> p.metrics.scrape(new NodeMetrics.Sources(p.system, p.liveCalls,
            p.webhookStats, p.originator != null ? p.sipMedia : null, p.askTimeout))
        .thenApply(text -> new Reply(200, HttpResponse.create().withEntity(TEXT,
            text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), Map.of())));
  }
}
