package io.openvoice.flow;

import io.openvoice.flow.Wait.Kind;
import io.openvoice.xml.CallFlow;
import io.openvoice.xml.FlowXmlException;
import io.openvoice.xml.FlowXmlParser;
import io.openvoice.xml.Verb;
import java.util.Map;

/**
 * Feeds the outcome of the pending action to the verb that waits on it. The outcome has already been checked to
 * carry the pending action's seq; an outcome of a type the waiting verb does not expect is dropped on purpose.
 * Handlers only decide where the flow goes; the engine then runs it forward.
 */
final class Resumer {
  private final FlowState st;
  private final Runner runner;

  Resumer(FlowState st, Runner runner) {
    this.st = st;
    this.runner = runner;
  }

  void resume(Outcome outcome) {
    Wait w = st.wait;
    if (outcome instanceof Outcome.Done) {
      done(w);
    } else if (outcome instanceof Outcome.Failed f) {
      failed(w, f.reason() == null ? "failed" : f.reason());
    } else if (outcome instanceof Outcome.Digits d) {
      digits(w, d.digits() == null ? "" : d.digits());
    } else if (outcome instanceof Outcome.HttpResult r) {
      http(w, r);
    } else if (outcome instanceof Outcome.DialAnswered a && w.kind() == Kind.DIAL) {
      st.started(w.verb(), "bridged to " + a.target());
    } else if (outcome instanceof Outcome.Joined j && w.kind() == Kind.JOIN) {
      st.platformEvent("Bridge", true, "bridged with call " + j.otherCallId());
    } else if (outcome instanceof Outcome.DialEnded e && w.kind() == Kind.DIAL) {
      if (e.answered()) {
        runner.done(w.verb(), "bridged call ended" + (e.reason() == null ? "" : ": " + e.reason()));
      } else {
        runner.fail(w.verb(), e.reason() == null ? "no answer" : e.reason());
      }
    }
  }

  private void done(Wait w) {
    Verb verb = w.verb();
    switch (w.kind()) {
      case AUTO_ANSWER -> {
        st.answered = true;
        st.clearWait();
      }
      case PARK -> st.hangup("", Runner.CAUSE_PARK_TIMEOUT, "park_timeout");
      case JOIN -> joinEnded(w, true, "bridge with call " + w.detail() + " ended");
      case ANSWER -> {
        st.answered = true;
        st.clearWait();
        st.finished(verb, true, "Call answered");
        runner.answerDelay((Verb.Answer) verb);
      }
      case ANSWER_DELAY -> st.clearWait();
      case IMPLICIT_ANSWER -> {
        st.answered = true;
        st.clearWait();
        runner.perform(verb);
      }
      case MEDIA -> runner.done(verb, "completed");
      case HOLD -> {
        st.onHold = false;
        runner.done(verb, "hold ended");
      }
      case RECORD_WINDOW -> {
        runner.stopRecording(verb.src().path(), w.detail());
        runner.done(verb, "recorded");
      }
      default -> { } // Collect, Fetch and Dial do not finish with Done
    }
  }

  /** The bridge is over (or never came about): the flow goes on after the verb it interrupted, or parks again. */
  private void joinEnded(Wait w, boolean success, String reason) {
    st.clearWait();
    st.platformEvent("Bridge", success, reason);
    if (st.reparkMs >= 0) {
      st.await(new Action.Park(st.nextSeq(), "", st.reparkMs), Wait.of(Kind.PARK, null));
      st.reparkMs = -1;
    }
  }

  private void failed(Wait w, String reason) {
    Verb verb = w.verb();
    switch (w.kind()) {
      case AUTO_ANSWER -> st.hangup("", Runner.CAUSE_FLOW_FAILURE, "Answer failed: " + reason);
      case PARK -> st.hangup("", Runner.CAUSE_FLOW_FAILURE, "Park failed: " + reason);
      case JOIN -> joinEnded(w, false, "bridge with call " + w.detail() + " failed: " + reason);
      case CALL_FLOW -> callFlowFailed(w, reason);
      case ANSWER_DELAY -> st.clearWait(); // the call is answered; a failed wait after it changes nothing
      case HOLD -> {
        st.onHold = false;
        runner.fail(verb, reason);
      }
      case RECORD_WINDOW -> {
        runner.stopRecording(verb.src().path(), w.detail());
        runner.fail(verb, reason);
      }
      default -> runner.fail(verb, reason);
    }
  }

  private void digits(Wait w, String digits) {
    Verb verb = w.verb();
    switch (w.kind()) {
      case COLLECT -> gathered((Verb.Gather) verb, w.attempt(), digits);
      case MEDIA -> {
        if (verb instanceof Verb.Pause) {
          runner.done(verb, "stopped by dtmf " + digits);
        }
      }
      case RECORD_WINDOW -> {
        runner.stopRecording(verb.src().path(), w.detail());
        runner.done(verb, "recorded, stopped by dtmf " + digits);
      }
      case ANSWER_DELAY -> st.clearWait();
      default -> { }
    }
  }

  /** The rules of decision 2: matched branch, unmatched → Default, no input → Error (else Default). */
  private void gathered(Verb.Gather g, int attempt, String digits) {
    boolean more = attempt < g.attempts();
    if (!digits.isEmpty()) {
      st.lastDigits = digits;
      if (g.url() != null) {
        st.await(new Action.Fetch(st.nextSeq(), g.src().path(), "GATHER", g.url(), g.method(),
            FetchParams.gather(st, digits, attempt), Runner.isPost(g.method()), null, Map.of(),
            Runner.DEFAULT_FETCH_TIMEOUT_MS),
            new Wait(Kind.GATHER_FETCH, g, attempt, digits));
        return;
      }
      for (Verb.Branch b : g.branches()) {
        if (digits.equals(b.value())) {
          st.finished(g, true, "digits " + digits + " matched " + lastSegment(b.src().path()));
          runner.runBlock(b.body());
          return;
        }
      }
      if (more) {
        runner.collect(g, attempt + 1);
      } else if (g.onDefault() != null) {
        st.finished(g, true, "digits " + digits + " matched no branch, running Default");
        runner.runBlock(g.onDefault().body());
      } else {
        runner.done(g, "digits " + digits + ": no branch matched");
      }
      return;
    }
    if (more) {
      runner.collect(g, attempt + 1);
    } else if (g.onError() != null) {
      st.finished(g, false, "no input, running Error");
      runner.runBlock(g.onError().body());
    } else if (g.onDefault() != null) {
      st.finished(g, false, "no input, running Default");
      runner.runBlock(g.onDefault().body());
    } else {
      st.clearWait();
      st.finished(g, false, "no input");
    }
  }

  private void http(Wait w, Outcome.HttpResult r) {
    Verb verb = w.verb();
    switch (w.kind()) {
      case CALL_FLOW -> {
        Parsed p = parseResult(r);
        if (p.flow == null) {
          callFlowFailed(w, p.error);
        } else {
          st.clearWait();
          runner.startFlow(p.flow);
        }
      }
      case CALLBACK, GATHER_FETCH -> {
        Parsed p = parseResult(r);
        if (p.flow == null) {
          runner.fail(verb, p.error);
        } else {
          String sent = w.kind() == Kind.GATHER_FETCH ? "digits " + w.detail() + " sent, " : "";
          st.finished(verb, true, sent + "http " + r.status() + ": new flow");
          runner.replace(p.flow);
        }
      }
      case CURL -> curlResult((Verb.Curl) verb, r);
      default -> { }
    }
  }

  private void curlResult(Verb.Curl c, Outcome.HttpResult r) {
    if (r.error() != null || !is2xx(r.status())) {
      runner.fail(c, httpError(r));
      return;
    }
    String body = r.body() == null ? "" : r.body();
    st.metas.put("curl_status", (long) r.status());
    st.metas.put("curl_body", body.length() > Runner.MAX_CURL_BODY ? body.substring(0, Runner.MAX_CURL_BODY) : body);
    if (c.execute()) {
      Parsed p = parse(body);
      if (p.flow != null) {
        st.finished(c, true, "http " + r.status() + ": executing the response");
        runner.replace(p.flow);
        return;
      }
    }
    runner.done(c, "http " + r.status());
  }

  private void callFlowFailed(Wait w, String reason) {
    String why = "call-flow URL " + w.detail() + " failed: " + reason;
    st.platformEvent("CallFlow", false, why);
    st.hangup("", Runner.CAUSE_FLOW_FAILURE, why);
  }

  // ---- parsing fetched documents ----

  /** A fetched document, or why there is none. */
  record Parsed(CallFlow flow, String error) {}

  static Parsed parseResult(Outcome.HttpResult r) {
    if (r.error() != null || !is2xx(r.status())) {
      return new Parsed(null, httpError(r));
    }
    return parse(r.body());
  }

  static Parsed parse(String xml) {
    if (xml == null || xml.isBlank()) {
      return new Parsed(null, "empty document");
    }
    try {
      return new Parsed(FlowXmlParser.parse(xml), null);
    } catch (FlowXmlException e) {
      return new Parsed(null, e.getMessage());
    } catch (RuntimeException e) { // a parser bug must not leave the call stuck
      return new Parsed(null, "unparsable document: " + e);
    }
  }

  private static String httpError(Outcome.HttpResult r) {
    return r.error() != null ? r.error() : "http " + r.status();
  }

  private static boolean is2xx(int status) {
    return status >= 200 && status < 300;
  }

  private static String lastSegment(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? path : path.substring(dot + 1);
  }
}
