package io.openvoice.sip;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.events.PlatformEvent;
import io.openvoice.node.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** The {@code call_state} events a SIP test collected from a node's bus, read as calls. */
final class CallStates {
  /** One call_state event: the call, its new state, its parent (for a dialled leg) and parties. */
  record Call(String uuid, String state, String parent, String from, String to) {}

  private final List<PlatformEvent> events;

  CallStates(List<PlatformEvent> events) {
    this.events = events;
  }

  /** Where the events seen from now on start. */
  int mark() {
    return events.size();
  }

  List<Call> since(int from) throws Exception {
    List<Call> out = new ArrayList<>();
    for (int i = from; i < events.size(); i++) {
      JsonNode j = TestNode.M.readTree(events.get(i).json());
      if (!"call_state".equals(j.path("type").asText())) continue;
      JsonNode call = j.path("call");
      JsonNode parent = call.path("parent");
      out.add(new Call(call.path("uuid").asText(), j.path("payload").path("state").asText(),
          parent.isMissingNode() || parent.isNull() ? null : parent.asText(), call.path("from").asText(),
          call.path("to").asText()));
    }
    return out;
  }

  /** The uuid of the first call with an event since {@code from} that matches; fails after 15 s. */
  String await(int from, Predicate<Call> match) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < until) {
      for (Call c : since(from)) if (match.test(c)) return c.uuid();
      Thread.sleep(50);
    }
    throw new AssertionError("no such call_state event; got " + events.subList(from, events.size()));
  }

  /** Every child call (dialled leg) of {@code parent} seen so far, in order of first appearance. */
  List<String> legsOf(String parent) throws Exception {
    Set<String> out = new LinkedHashSet<>();
    for (Call c : since(0)) if (parent.equals(c.parent())) out.add(c.uuid());
    return new ArrayList<>(out);
  }
}
