package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /**
   * In a call's trace (flow {@code <Answer/><Dial>...<Error><Say/></Error></Dial><Hangup/>}): the Dial finished as a
   * failure with this reason, its own {@code <Error>} ran, and the flow went on after it.
   */
  static void assertDialFailedIntoItsError(JsonNode call, String reason) {
    String trace = call.path("trace").toString();
    JsonNode dialEnd = null;
    boolean errorSaid = false;
    boolean hungUpAfter = false;
    for (JsonNode t : call.path("trace")) {
      if (!"call_flow".equals(t.path("type").asText())) continue;
      String path = t.path("path").asText();
      if ("Dial".equals(t.path("command").asText()) && "finished".equals(t.path("phase").asText())) dialEnd = t;
      if ("Say".equals(t.path("command").asText()) && path.startsWith("Dial[1].")) errorSaid = dialEnd != null;
      if ("Hangup[2]".equals(path)) hungUpAfter = errorSaid;
    }
    assertTrue(dialEnd != null, "the Dial never finished: " + trace);
    assertTrue(!dialEnd.path("success").asBoolean(), trace);
    assertEquals(reason, dialEnd.path("reason").asText(), trace);
    assertTrue(errorSaid, "the Dial's <Error> did not run: " + trace);
    assertTrue(hungUpAfter, "the flow did not carry on after the Dial's <Error>: " + trace);
  }
}
