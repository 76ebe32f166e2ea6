package io.openvoice.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;

/**
 * Shards and entities this node hosts, per entity type (every sharded type started here, found by name): each
 * region is asked for its {@code ShardRegionStats} (entity counts per shard, not their ids, so a node with 100,000
 * calls copies no 100,000 ids per scrape). The answer is cached for {@code ttl}; scrapes within it share it, and a
 * scrape while a query runs waits for that query. Nothing blocks: the caller gets a {@link CompletionStage}.
 */
final class ShardCounts {
  /** One entity type: {@code failed} shards did not answer the region in time. */
  record TypeCount(String type, int shards, long entities, int failed) {}

  private record Cached(List<TypeCount> types, long atNanos) {}

  private final ActorSystem<?> system;
  private final Duration ttl;
  private final Duration timeout;
  private final AtomicReference<CompletableFuture<Cached>> current = new AtomicReference<>();

  ShardCounts(ActorSystem<?> system, Duration ttl, Duration timeout) {
    this.system = system;
    this.ttl = ttl;
    this.timeout = timeout;
  }

  CompletionStage<List<TypeCount>> counts() {
    while (true) {
      CompletableFuture<Cached> c = current.get();
      if (c != null && (!c.isDone() || System.nanoTime() - c.join().atNanos() < ttl.toNanos())) {
        return c.thenApply(Cached::types); // fresh, or being refreshed: share it
      }
      CompletableFuture<Cached> next = new CompletableFuture<>();
      if (!current.compareAndSet(c, next)) continue; // another scrape started a query first
      List<TypeCount> previous = c == null ? List.of() : c.join().types();
      query().whenComplete((types, err) -> next.complete(new Cached(
          err == null ? types : previous, System.nanoTime()))); // on failure: the last counts, retried after ttl
      return next.thenApply(Cached::types);
    }
  }

  private CompletionStage<List<TypeCount>> query() {
    ClusterSharding sharding = ClusterSharding.get(Adapter.toClassic(system));
    List<CompletableFuture<TypeCount>> asks = new ArrayList<>();
    for (String type : new TreeSet<>(sharding.getShardTypeNames())) {
      asks.add(Patterns.ask(sharding.shardRegion(type), ShardRegion.getRegionStatsInstance(), timeout)
          .handle((reply, err) -> {
            if (!(reply instanceof ShardRegion.ShardRegionStats s)) return null; // no answer in time: left out
            long entities = 0;
            for (Object n : s.getStats().values()) entities += ((Number) n).longValue();
            return new TypeCount(type, s.getStats().size(), entities, s.getFailed().size());
          }).toCompletableFuture());
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<TypeCount> out = new ArrayList<>();
      for (CompletableFuture<TypeCount> a : asks) if (a.join() != null) out.add(a.join());
      return out;
    });
  }
}
