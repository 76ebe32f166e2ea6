package io.openvoice.api;

import io.openvoice.node.Platform;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The node itself: readiness for a load balancer ({@code GET /health/ready}, also Pekko Management's {@code /ready})
 * and taking the node out of service ({@code POST /rest/node/drain}, the platform operator's Admins only).
 */
final class NodeApi {
  private final Platform p;

  NodeApi(Platform p) {
    this.p = p;
  }

  void register(Router r) {
    r.addPublic("GET", "/health/ready", req -> {
      if (p.drain.draining()) {
        throw new ApiException(503, "Not ready: draining (" + p.drain.liveSipCalls() + " live SIP calls)");
      }
      if (Cluster.get(p.system).selfMember().status() != MemberStatus.up()) {
        throw new ApiException(503, "Not ready: not an Up member of the cluster yet");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("status", "ready");
      out.put("live_sip_calls", p.drain.liveSipCalls());
      return CompletableFuture.completedFuture(Reply.ok(out));
    });
    r.add("POST", "/rest/node/drain", req -> {
      Principal who = req.principal();
      if (!who.operator() || !who.isAdmin()) {
        throw new ApiException(403, "Forbidden: a node is drained by the platform operator's Admins");
      }
      boolean already = p.drain.draining();
      if (!already) p.drain.start();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("node", p.nodeName);
      out.put("draining", true);
      out.put("live_sip_calls", p.drain.liveSipCalls());
      return CompletableFuture.completedFuture(new Reply(202, out, Map.of()));
    });
  }
}
