package io.openvoice.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.common.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The online calls of the whole cluster, as this node has seen them on the event bus (every node subscribes,
 * so each has the full picture a moment after a call changes state). Serves {@code GET /rest/sip/app/call/online}
 * without asking call entities. A node that starts late learns of a call at its next state change.
 */
public final class LiveCalls {
  private final Map<String, JsonNode> calls = new ConcurrentHashMap<>();

  public LiveCalls(ActorSystem<?> system, EventBus bus) {
    var ref = system.systemActorOf(Behaviors.<PlatformEvent>receiveMessage(ev -> {
      if ("call_state".equals(ev.type())) onState(ev);
      return Behaviors.same();
    }), "live-calls", Props.empty());
    bus.subscribe(ref);
  }

  private void onState(PlatformEvent ev) {
    try {
      JsonNode root = Json.MAPPER.readTree(ev.json());
      String state = root.path("payload").path("state").asText();
      if ("destroyed".equals(state) || "failed".equals(state)) calls.remove(ev.refId());
      else calls.put(ev.refId(), root.path("call"));
    } catch (Exception e) {
      // a malformed event is not ours to fix here
    }
  }

  /** The online calls of the cluster (dialled legs too), as this node has seen them. */
  public int size() {
    return calls.size();
  }

  /** The uuids of the account's online calls that are not dialled legs of another call. */
  public java.util.Set<String> topLevel(String accountId) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (JsonNode c : calls.values()) {
      JsonNode parent = c.path("parent");
      if (accountId.equals(c.path("account").path("uuid").asText()) && (parent.isMissingNode() || parent.isNull())) {
        out.add(c.path("uuid").asText());
      }
    }
    return out;
  }

  /** The account's online calls, newest first. */
  public List<JsonNode> online(String accountId) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode c : calls.values()) {
      if (accountId.equals(c.path("account").path("uuid").asText())) out.add(c);
    }
    out.sort(Comparator.comparing((JsonNode c) -> c.path("created_on").asText()).reversed());
    return out;
  }
}
