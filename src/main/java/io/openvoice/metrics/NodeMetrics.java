package io.openvoice.metrics;

import io.openvoice.events.LiveCalls;
import io.openvoice.sip.SipMedia;
import io.openvoice.webhook.WebhookStats;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * This node's metrics, rendered for {@code GET /metrics} in the Prometheus text format: calls (from
 * {@link CallMetrics}), the cluster's live calls as this node sees them, webhooks, shards and entities hosted here,
 * the SIP edge (when the node has one), and the JVM. Everything is read when scraped; only the shard counts need
 * an ask (cached, see {@link ShardCounts}), so a scrape never blocks a thread.
 */
public final class NodeMetrics {
  /** How long the shard counts of one query serve scrapes. */
  static final Duration SHARD_COUNTS_TTL = Duration.ofSeconds(5);
  /** At most this long for the regions' answers: well inside Prometheus' default 10 s scrape timeout. */
  static final Duration SHARD_QUERY_TIMEOUT = Duration.ofSeconds(3);

  /** The call entities' probe (given to them through {@code CallDeps}). */
  public final CallMetrics calls = new CallMetrics();
  private volatile ShardCounts shards;

  /**
   * What a scrape reads besides the calls: {@code sip} is the node's SIP edge media, or null when the node has no
   * SIP edge.
   */
  public record Sources(ActorSystem<?> system, LiveCalls liveCalls, WebhookStats webhooks, SipMedia sip,
                        Duration askTimeout) {}

  /** The whole exposition; completes when the shard counts are there (at most {@link #SHARD_QUERY_TIMEOUT}). */
  public CompletionStage<String> scrape(Sources src) {
    // the counts may complete on the thread of the shard region that answered last: render elsewhere
    return shardCounts(src).counts().thenApplyAsync(types -> render(src, types), src.system().executionContext());
  }

  private ShardCounts shardCounts(Sources src) {
    ShardCounts s = shards;
    if (s == null) {
      synchronized (this) {
        if (shards == null) {
          Duration timeout = src.askTimeout().compareTo(SHARD_QUERY_TIMEOUT) < 0 ? src.askTimeout() : SHARD_QUERY_TIMEOUT;
          shards = new ShardCounts(src.system(), SHARD_COUNTS_TTL, timeout);
        }
        s = shards;
      }
    }
    return s;
  }

  String render(Sources src, List<ShardCounts.TypeCount> types) {
    PromText t = new PromText();
    calls.render(t);
    t.gauge("openvoice_cluster_live_calls",
            "Live calls (with dialled legs) of the whole cluster, as this node sees them on the event bus")
        .sample(src.liveCalls().size());
    renderWebhooks(t, src.webhooks());
    t.gauge("openvoice_shards", "Shards of each entity type hosted on this node");
    for (ShardCounts.TypeCount c : types) t.sample(c.shards(), "type", c.type());
    t.gauge("openvoice_shard_entities", "Entities of each type running on this node");
    for (ShardCounts.TypeCount c : types) t.sample(c.entities(), "type", c.type());
    t.gauge("openvoice_shards_failed", "Shards of each type that did not answer their region's query in time");
    for (ShardCounts.TypeCount c : types) t.sample(c.failed(), "type", c.type());
    if (src.sip() != null) renderSip(t, src.sip());
    renderJvm(t);
    return t.text();
  }

  private static void renderWebhooks(PromText t, WebhookStats w) {
    t.counter("openvoice_webhook_delivered_total", "Webhook events the app's URL (or its fallback) answered with 2xx")
        .sample(w.delivered.get());
    t.counter("openvoice_webhook_retries_total", "Webhook attempts that failed and were retried later")
        .sample(w.retried.get());
    t.counter("openvoice_webhook_fallbacks_total", "Webhook events sent to the app's fallback URL after its URL failed")
        .sample(w.fallbacks.get());
    t.counter("openvoice_webhook_failed_total", "Webhook events given up on after every attempt failed")
        .sample(w.failed.get());
    t.counter("openvoice_webhook_dropped_total", "Webhook events dropped unsent because the app's queue was full")
        .sample(w.dropped.get());
    t.histogram("openvoice_webhook_request_duration_seconds",
        "Webhook requests sent by the dispatchers on this node, from send to answer (outcome: delivered, retry, "
            + "final: a failure not retried)");
    w.requestDurations().forEach((outcome, h) -> t.sample(h.snapshot(), "outcome", outcome));
  }

  private static void renderSip(PromText t, SipMedia sip) {
    t.gauge("openvoice_sip_active_calls", "Live SIP calls and dialled legs on this node's SIP edge")
        .sample(sip.activeCalls());
    t.counter("openvoice_rtp_relayed_packets_total", "RTP packets this edge's bridges relayed, by direction")
        .sample(sip.relayedToCallers(), "direction", "to_caller")
        .sample(sip.relayedToLegs(), "direction", "to_leg");
    t.gauge("openvoice_rtp_pacing_p99_microseconds",
            "99th percentile of |interval - 20 ms| between the RTP engine's send ticks over the last 10 s")
        .sample(sip.rtpPacingP99Micros());
  }

  private static void renderJvm(PromText t) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
    t.gauge("openvoice_jvm_memory_used_bytes", "JVM memory in use").sample(heap.getUsed(), "area", "heap")
        .sample(nonHeap.getUsed(), "area", "nonheap");
    t.gauge("openvoice_jvm_memory_committed_bytes", "JVM memory committed")
        .sample(heap.getCommitted(), "area", "heap").sample(nonHeap.getCommitted(), "area", "nonheap");
    t.gauge("openvoice_jvm_memory_max_bytes", "JVM maximum memory (-1: undefined)")
        .sample(heap.getMax(), "area", "heap").sample(nonHeap.getMax(), "area", "nonheap");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    t.gauge("openvoice_jvm_threads_current", "JVM threads now").sample(threads.getThreadCount());
    t.gauge("openvoice_jvm_threads_daemon", "JVM daemon threads now").sample(threads.getDaemonThreadCount());
    t.gauge("openvoice_jvm_threads_peak", "Most JVM threads at once since start").sample(threads.getPeakThreadCount());
    List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    t.counter("openvoice_jvm_gc_collections_total", "Garbage collections, by collector");
    for (GarbageCollectorMXBean gc : gcs) t.sample(Math.max(0, gc.getCollectionCount()), "gc", gc.getName());
    t.counter("openvoice_jvm_gc_collection_seconds_total", "Time spent in garbage collection, by collector");
    for (GarbageCollectorMXBean gc : gcs) t.sample(Math.max(0, gc.getCollectionTime()) / 1000.0, "gc", gc.getName());
    t.gauge("openvoice_jvm_uptime_seconds", "Time since this JVM started")
        .sample(ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    t.gauge("openvoice_jvm_available_processors", "Processors available to this JVM")
        .sample(Runtime.getRuntime().availableProcessors());
  }
}
