package io.openvoice.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.geo.GeoLookup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Documents that come from elsewhere: Callback, Curl, the call-flow URL, XML pushed to a live or parked call. */
class RemoteFlowTest {

  @Test
  void callbackSuccessReplacesTheRestOfTheFlow() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/><Callback url="http://app/next" method="GET" tag="t1"/><Say>old flow</Say></Response>""")
        .http("http://app/next", 200, "<Response><Say>new flow</Say></Response>").run();
    assertEquals(List.of("Answer", "Fetch(CALLBACK GET http://app/next)", "Say(new flow)", "Hangup(16,flow_completed)"),
        d.actions());
    Action.Fetch f = d.fetches().get(0);
    assertEquals(Map.of("call", "call-1", "from", FlowDriver.CALLER, "to", FlowDriver.CALLED, "tn", "18382050099",
        "state", "live", "sca", "app-1", "tag", "t1"), f.params());
    assertFalse(f.includeCall());
    assertEquals(10_000, f.timeoutMs());
  }

  @Test
  void callbackSendsMetasAndTheLastDigits() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/><Meta name="category" value="music"/>
          <Gather numDigits="1"><DTMF value="3"><Meta name="dept" value="sales"/></DTMF></Gather>
          <Callback url="http://app/next" body="true"><Meta name="priority" value="2"/></Callback></Response>""")
        .digits("3").http("http://app/next", 200, "<Response><Hangup/></Response>").run();
    Action.Fetch f = d.fetches().get(0);
    assertEquals("music", f.params().get("meta[category]"));
    assertEquals("sales", f.params().get("meta[dept]"));
    assertEquals("2", f.params().get("meta[priority]"));
    assertEquals("3", f.params().get("dtmf"));
    assertTrue(f.includeCall()); // POST by default, body="true"
    assertEquals(List.of("category", "dept", "priority"), List.copyOf(d.engine().metas().keySet()));
  }

  @Test
  void callbackTimeoutRunsItsErrorChild() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/>
          <Callback url="http://app/next"><Error><Say text="An error occurred"/><Hangup/></Error></Callback>
          <Say>never</Say></Response>""")
        .httpError("http://app/next", "timeout").run();
    assertEquals(List.of("Answer", "Fetch(CALLBACK POST http://app/next)", "Say(An error occurred)", "Hangup(16,hangup)"),
        d.actions());
    assertTrue(d.events().contains("Callback@Callback[1] FINISHED FAILED: timeout"), d.events().toString());
  }

  @Test
  void callbackFailureWithoutHandlerHangsUpWithAReason() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/><Callback url="http://app/next"/><Say>never</Say></Response>""")
        .http("http://app/next", 404, "not found").run();
    assertEquals(List.of("Answer", "Fetch(CALLBACK POST http://app/next)", "Hangup(41,Callback failed: http 404)"),
        d.actions());
    assertTrue(d.engine().ended());
  }

  @Test
  void callbackWithUnparsableXmlFails() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/><Callback url="http://app/next"/></Response>""")
        .http("http://app/next", 200, "<Response><Bogus/></Response>").run();
    Action.Hangup h = (Action.Hangup) d.last();
    assertEquals(41, h.cause());
    assertTrue(h.reason().startsWith("Callback failed: "), h.reason());
    assertTrue(h.reason().contains("Bogus"), h.reason());
  }

  @Test
  void callbackUrlAsTextContent() {
    FlowDriver d = new FlowDriver().start("<Response><callback>http://app/dyn</callback></Response>")
        .http("http://app/dyn", 200, "<Response><Reject/></Response>").run();
    assertEquals(List.of("Fetch(CALLBACK POST http://app/dyn)", "Reject(rejected)"), d.actions());
    assertEquals("ringing", d.fetches().get(0).params().get("state"));
  }

  @Test
  void curlSyncStoresTheResponseInMetas() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Meta name="customer" value="42"/>
          <Curl url="http://crm/lookup" method="POST" timeout="3000"><Header name="X-Key" value="k"/></Curl>
          <Say>done</Say></Response>""")
        .http("http://crm/lookup", 200, "{\"vip\":true}").run();
    assertEquals(List.of("Fetch(CURL POST http://crm/lookup)", "Say(done)", "Hangup(16,flow_completed)"), d.actions());
    Action.Fetch f = d.fetches().get(0);
    assertEquals(Map.of("meta[customer]", "42"), f.params());
    assertEquals(Map.of("X-Key", "k"), f.headers());
    assertFalse(f.includeCall());
    assertEquals(3000, f.timeoutMs());
    assertEquals(200L, d.engine().metas().get("curl_status"));
    assertEquals("{\"vip\":true}", d.engine().metas().get("curl_body"));
  }

  @Test
  void curlBodyInMetasIsCapped() {
    String big = "x".repeat(5000);
    FlowDriver d = new FlowDriver().start("<Response><Curl url=\"http://crm/big\"/></Response>")
        .http("http://crm/big", 200, big).run();
    assertEquals(4096, ((String) d.engine().metas().get("curl_body")).length());
  }

  @Test
  void curlAsyncDoesNotWait() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Curl url="http://crm/notify" method="POST" async="true" body="hello"/><Say>at once</Say></Response>""");
    assertEquals(List.of("Notify(POST http://crm/notify)", "Say(at once)"), d.actions());
    assertEquals("hello", ((Action.Notify) d.rawActions().get(0)).body());
  }

  @Test
  void curlExecuteRunsTheReturnedDocument() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Curl url="http://crm/route" execute="true"/><Say>not reached</Say></Response>""")
        .http("http://crm/route", 200, "<Response><Say>routed</Say></Response>").run();
    assertEquals(List.of("Fetch(CURL GET http://crm/route)", "Say(routed)", "Hangup(16,flow_completed)"), d.actions());
  }

  @Test
  void curlFailureUsesTheFailureRule() {
    FlowDriver handled = new FlowDriver().start("""
        <Response><Curl url="http://crm/x"><Error><Say>crm down</Say></Error></Curl><Say>after</Say></Response>""")
        .http("http://crm/x", 503, "").run();
    assertEquals(List.of("Fetch(CURL GET http://crm/x)", "Say(crm down)", "Say(after)", "Hangup(16,flow_completed)"),
        handled.actions());
    FlowDriver unhandled = new FlowDriver().start("<Response><Curl url=\"http://crm/x\"/></Response>")
        .httpError("http://crm/x", "connection refused").run();
    assertEquals("Hangup(41,Curl failed: connection refused)", FlowDriver.text(unhandled.last()));
  }

  // ---- the app's call-flow URL ----

  @Test
  void startFromUrlRunsTheFetchedDocument() {
    FlowDriver d = new FlowDriver().http("http://app/flow", 200, "<Response><Answer/><Say>dynamic</Say></Response>")
        .startFromUrl("http://app/flow", "POST").run();
    assertEquals(List.of("Fetch(CALL_FLOW POST http://app/flow)", "Answer", "Say(dynamic)", "Hangup(16,flow_completed)"),
        d.actions());
    Action.Fetch f = d.fetches().get(0);
    assertEquals("", f.path());
    assertEquals(Map.of("from", FlowDriver.CALLER, "to", FlowDriver.CALLED, "call", "call-1", "tn", "18382050099",
        "sca", "app-1"), f.params());
    assertTrue(f.includeCall());
    assertEquals(5000, f.timeoutMs());
  }

  @Test
  void startFromUrlWithAutoAnswerAnswersAfterTheFetch() {
    FlowDriver d = new FlowDriver(FlowDriver.ctx(true, GeoLookup.NONE))
        .http("http://app/flow", 200, "<Response><Say>hi</Say></Response>").startFromUrl("http://app/flow", "GET").run();
    assertEquals(List.of("Fetch(CALL_FLOW GET http://app/flow)", "Answer", "Say(hi)", "Hangup(16,flow_completed)"),
        d.actions());
    assertFalse(d.fetches().get(0).includeCall());
  }

  @Test
  void startFromUrlTimeoutHangsUpNamingTheUrl() {
    FlowDriver d = new FlowDriver().httpError("http://app/flow", "timeout").startFromUrl("http://app/flow", "GET").run();
    Action.Hangup h = (Action.Hangup) d.last();
    assertEquals(41, h.cause());
    assertTrue(h.reason().contains("http://app/flow") && h.reason().contains("timeout"), h.reason());
    assertTrue(d.rawEvents().stream().anyMatch(e -> !e.success() && e.reason().contains("http://app/flow")));
  }

  @Test
  void startFromUrlNon2xxAndUnparsableHangUp() {
    FlowDriver notFound = new FlowDriver().http("http://app/flow", 404, "no").startFromUrl("http://app/flow", "GET")
        .run();
    assertEquals(List.of("Fetch(CALL_FLOW GET http://app/flow)", "Hangup(41,call-flow URL http://app/flow failed: http 404)"),
        notFound.actions());
    FlowDriver garbage = new FlowDriver().http("http://app/flow", 200, "<html>hello</html>")
        .startFromUrl("http://app/flow", "GET").run();
    Action.Hangup h = (Action.Hangup) garbage.last();
    assertEquals(41, h.cause());
    assertTrue(h.reason().startsWith("call-flow URL http://app/flow failed: "), h.reason());
  }

  // ---- pushed XML ----

  @Test
  void pushReplacesTheFlowMidPause() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/><Pause length="30000"/><Say>old</Say></Response>""").next();
    assertEquals("Pause(30000)", FlowDriver.text(d.engine().pending()));
    Step s = d.apply(new Outcome.Push("<Response><Say>pushed</Say><Hangup/></Response>"));
    assertEquals(List.of("Say(pushed)"), s.actions().stream().map(FlowDriver::text).toList());
    d.run();
    assertEquals(List.of("Answer", "Pause(30000)", "Say(pushed)", "Hangup(16,hangup)"), d.actions());
    assertTrue(d.events().contains("Pause@Pause[1] FINISHED FAILED: replaced by pushed XML"), d.events().toString());
  }

  @Test
  void pushWithBadXmlKeepsTheCurrentStep() {
    FlowDriver d = new FlowDriver().start("<Response><Answer/><Pause length=\"30000\"/><Say>old</Say></Response>")
        .next();
    Action before = d.engine().pending();
    Step s = d.apply(new Outcome.Push("<Response><Say>unclosed</Response>"));
    assertTrue(s.actions().isEmpty());
    assertEquals(1, s.events().size());
    FlowEvent e = s.events().get(0);
    assertEquals("", e.path());
    assertEquals("Push", e.command());
    assertFalse(e.success());
    assertFalse(e.reason().isEmpty());
    assertEquals(before, d.engine().pending());
    d.run();
    assertEquals(List.of("Answer", "Pause(30000)", "Say(old)", "Hangup(16,flow_completed)"), d.actions());
  }

  @Test
  void parkedCallRunsThePushedXml() {
    FlowDriver d = new FlowDriver().startParked();
    assertEquals(List.of("Park"), d.actions());
    assertEquals(30_000, ((Action.Park) d.engine().pending()).timeoutMs());
    d.apply(new Outcome.Push("<Response><Answer/><Say>hello</Say></Response>"));
    d.run();
    assertEquals(List.of("Park", "Answer", "Say(hello)", "Hangup(16,flow_completed)"), d.actions());
  }

  @Test
  void parkTimeoutHangsUp() {
    FlowDriver d = new FlowDriver().startParked().run();
    assertEquals(List.of("Park", "Hangup(102,park_timeout)"), d.actions());
    assertTrue(d.engine().ended());
    assertNull(d.engine().pending());
  }

  @Test
  void parkedCallOfAnAutoAnswerAppIsAnsweredWhenThePushArrives() {
    FlowDriver d = new FlowDriver(FlowDriver.ctx(true, GeoLookup.NONE)).startParked();
    d.apply(new Outcome.Push("<Response><Say>hello</Say></Response>"));
    d.run();
    assertEquals(List.of("Park", "Answer", "Say(hello)", "Hangup(16,flow_completed)"), d.actions());
  }
}
