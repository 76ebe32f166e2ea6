package io.openvoice.flow;

import io.openvoice.flow.Wait.Kind;
import io.openvoice.xml.Block;
import io.openvoice.xml.CallFlow;
import io.openvoice.xml.Meta;
import io.openvoice.xml.Node;
import io.openvoice.xml.Verb;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the stack of sequences forward: starts verbs, emits their actions, and stops at the first action that
 * awaits an outcome or at the end of the call. Also holds the rules shared by outcome handling: the failure rule,
 * the replacement of the whole flow, and the end of a verb. Those only set up where the flow goes next; the
 * engine calls {@link #run()} once per input, so nothing here recurses.
 */
final class Runner {
  static final int CAUSE_NORMAL = 16;
  static final int CAUSE_REJECTED = 21;
  static final int CAUSE_FLOW_FAILURE = 41;
  /** A parked call whose push never came (Q.850 102, recovery on timer expiry). */
  static final int CAUSE_PARK_TIMEOUT = 102;
  static final int MAX_CURL_BODY = 4096;
  /** Decision 4: call-flow and webhook requests wait 10 s unless told otherwise. */
  static final long DEFAULT_FETCH_TIMEOUT_MS = 10_000;

  private final FlowState st;

  Runner(FlowState st) {
    this.st = st;
  }

  /** Advances until an action awaits an outcome or the flow ends. */
  void run() {
    while (!st.ended && !st.waiting()) {
      Frame frame = st.stack.peek();
      if (frame == null) { // cannot happen while running: the TOP frame hangs up when it ends
        st.hangup("", CAUSE_NORMAL, "flow_completed");
        return;
      }
      if (frame.exhausted()) {
        st.stack.pop();
        endOf(frame);
        continue;
      }
      Node node = frame.nodes.get(frame.next++);
      if (node instanceof Meta m) {
        st.addMeta(m);
      } else if (node instanceof Verb v) {
        begin(v);
      }
      // a Block in a sequence is a sibling <Error>: skipped in normal flow
    }
  }

  /** Replaces the entire remaining flow with a new document, to run from its start. */
  void replace(CallFlow flow) {
    st.stack.clear();
    st.clearWait();
    st.stack.push(Frame.top(flow.body()));
  }

  /** Runs the call's first document: with {@code auto_answer} the platform answers before the first verb. */
  void startFlow(CallFlow flow) {
    replace(flow);
    if (st.ctx.autoAnswer() && !st.answered) {
      st.await(new Action.Answer(st.nextSeq(), ""), Wait.of(Kind.AUTO_ANSWER, null));
    }
  }

  /**
   * The failure rule: the verb's own {@code <Error>} child, else a sibling {@code <Error>} right after it, else
   * the call ends (cause 41) with the reason. A handler runs, then the flow continues after the failed verb.
   */
  void fail(Verb verb, String reason) {
    st.clearWait();
    st.finished(verb, false, reason);
    Block handler = verb.onError();
    Frame frame = st.stack.peek();
    if (handler == null && frame != null && frame.following() instanceof Block b && b.kind() == Block.Kind.ERROR) {
      handler = b;
    }
    if (handler == null) {
      st.hangup(verb.src().path(), failureCause(verb, reason), FlowState.command(verb) + " failed: " + reason);
      return;
    }
    st.stack.push(Frame.block(handler.body(), null));
  }

  /**
   * The Q.850 cause a call ends with when a verb fails unhandled: 41 (temporary failure), except for a Dial,
   * whose caller learns why nobody came to the phone (busy 17, no answer 19, unreachable 20), as a SIP caller
   * still unanswered hears it (486, 480).
   */
  static int failureCause(Verb verb, String reason) {
    if (!(verb instanceof Verb.Dial)) return CAUSE_FLOW_FAILURE;
    return switch (reason == null ? "" : reason) {
      case "busy" -> 17;
      case "no_answer" -> 19;
      case "unreachable" -> 20;
      default -> CAUSE_FLOW_FAILURE;
    };
  }

  /** The verb ended normally; the flow goes on. */
  void done(Verb verb, String reason) {
    st.clearWait();
    st.finished(verb, true, reason);
  }

  /** Runs a block (branch, Default, Error) of a verb that has finished, then continues after the verb. */
  void runBlock(List<Node> body) {
    st.clearWait();
    st.stack.push(Frame.block(body, null));
  }

  private void endOf(Frame frame) {
    switch (frame.end) {
      case TOP -> st.hangup("", CAUSE_NORMAL, "flow_completed");
      case BLOCK -> {
        if (frame.owner != null) {
          st.finished(frame.owner, true, "completed");
        }
      }
      case RECORD -> {
        stopRecording(frame.owner.src().path(), frame.recordTag);
        st.finished(frame.owner, true, "recorded");
      }
    }
  }

  // ---- starting verbs ----

  private void begin(Verb verb) {
    if (verb instanceof Verb.Call || verb instanceof Verb.Geo || verb instanceof Verb.Schedule) {
      condition(verb);
      return;
    }
    st.addMetas(verb.metas());
    st.started(verb);
    if (!st.answered && answersFirst(verb)) {
      st.await(new Action.Answer(st.nextSeq(), verb.src().path()), Wait.of(Kind.IMPLICIT_ANSWER, verb));
      return;
    }
    perform(verb);
  }

  /** Verbs that need an answered call; Say, Play, Tone and Pause may run before it (early media). */
  private static boolean answersFirst(Verb verb) {
    return verb instanceof Verb.Gather || verb instanceof Verb.Record || verb instanceof Verb.RecordStart
        || verb instanceof Verb.Hold;
  }

  private void condition(Verb verb) {
    Conditions.Result result;
    List<Node> body;
    try {
      if (verb instanceof Verb.Call c) {
        result = Conditions.call(c, st);
        body = c.body();
      } else if (verb instanceof Verb.Geo g) {
        result = Conditions.geo(g, st.ctx);
        body = g.body();
      } else {
        Verb.Schedule s = (Verb.Schedule) verb;
        result = Conditions.schedule(s, st);
        body = s.body();
      }
    } catch (DateTimeException e) {
      st.addMetas(verb.metas());
      st.started(verb);
      fail(verb, "bad time zone: " + e.getMessage());
      return;
    }
    if (!result.matched()) {
      st.skipped(verb, "not matched: " + result.reason());
      return;
    }
    st.addMetas(verb.metas());
    st.started(verb, "matched: " + result.reason());
    st.stack.push(Frame.block(body, verb));
  }

  /** Does the verb's work once the call is in the state it needs. */
  void perform(Verb verb) {
    String path = verb.src().path();
    if (verb instanceof Verb.Answer a) {
      if (!st.answered) {
        st.await(new Action.Answer(st.nextSeq(), path), Wait.of(Kind.ANSWER, a));
      } else {
        st.finished(a, true, "already answered");
        answerDelay(a);
      }
    } else if (verb instanceof Verb.Hangup h) {
      st.finished(h, true, "hung up");
      st.hangup(path, h.cause(), h.reason() == null ? "hangup" : h.reason());
    } else if (verb instanceof Verb.Reject r) {
      if (st.answered) {
        st.finished(r, true, "call already answered: hung up");
        st.hangup(path, CAUSE_REJECTED, "call_rejected");
      } else {
        st.finished(r, true, "rejected");
        st.reject(path, r.reason() == null ? "rejected" : r.reason());
      }
    } else if (verb instanceof Verb.Say || verb instanceof Verb.Play || verb instanceof Verb.Pause
        || verb instanceof Verb.Tone) {
      st.await(media(verb), Wait.of(Kind.MEDIA, verb));
    } else if (verb instanceof Verb.RecordWait w) {
      st.await(new Action.RecordWait(st.nextSeq(), path, w.tag(), w.timeoutMs()), Wait.of(Kind.MEDIA, w));
    } else if (verb instanceof Verb.Hold h) {
      st.onHold = true;
      st.await(new Action.Hold(st.nextSeq(), path, h.timeoutMs(), h.url()), Wait.of(Kind.HOLD, h));
    } else if (verb instanceof Verb.Unhold u) {
      st.emit(new Action.Unhold(st.nextSeq(), path));
      st.onHold = false;
      st.finished(u, true, "resumed");
    } else if (verb instanceof Verb.RecordStart r) {
      int seq = st.nextSeq();
      String tag = r.tag() != null ? r.tag() : "rec-" + seq;
      st.emit(new Action.RecordStart(seq, path, tag, r.leg(), r.format(), r.stereo(), r.asr(), r.timeoutMs(), false));
      st.activeRecordings.add(tag);
      st.finished(r, true, "recording " + tag);
    } else if (verb instanceof Verb.RecordStop r) {
      stopRecording(path, r.tag());
      st.finished(r, true, r.tag() == null ? "all recordings stopped" : "recording " + r.tag() + " stopped");
    } else if (verb instanceof Verb.Record r) {
      record(r);
    } else if (verb instanceof Verb.Gather g) {
      collect(g, 1);
    } else if (verb instanceof Verb.Dial d) {
      List<Action.Dial.Target> targets = new ArrayList<>();
      for (Verb.DialTarget t : d.targets()) {
        targets.add(new Action.Dial.Target(t.kind().name(), t.value()));
      }
      st.await(new Action.Dial(st.nextSeq(), path, List.copyOf(targets), d.timeoutMs(), d.callerId(), d.record(),
          d.timeLimitMs()), Wait.of(Kind.DIAL, d));
    } else if (verb instanceof Verb.Callback c) {
      boolean post = isPost(c.method());
      st.await(new Action.Fetch(st.nextSeq(), path, "CALLBACK", c.url(), c.method(),
          FetchParams.callback(st, c.tag()), c.includeBody() || post, null, Map.of(), c.timeoutMs()),
          Wait.of(Kind.CALLBACK, c));
    } else if (verb instanceof Verb.Curl c) {
      curl(c);
    } else {
      // a verb this interpreter does not know (the model grew): never a stuck call
      fail(verb, "unsupported verb");
    }
  }

  /** After the Answer verb answered (or found the call answered): wait its delay, if any. */
  void answerDelay(Verb.Answer a) {
    if (a.delayMs() > 0) {
      // the Answer has already finished: the wait belongs to no verb (no second event if the call ends in it)
      st.await(new Action.Pause(st.nextSeq(), a.src().path(), a.delayMs(), null), Wait.of(Kind.ANSWER_DELAY, null));
    }
  }

  private void record(Verb.Record r) {
    String path = r.src().path();
    int seq = st.nextSeq();
    String tag = r.tag() != null ? r.tag() : "rec-" + seq;
    st.emit(new Action.RecordStart(seq, path, tag, r.leg(), r.format(), false, r.asr(), r.timeoutMs(), r.beep()));
    st.activeRecordings.add(tag);
    if (r.body().isEmpty()) {
      st.await(new Action.Pause(st.nextSeq(), path, r.timeoutMs(), r.dtmfStop()),
          new Wait(Kind.RECORD_WINDOW, r, 0, tag));
    } else {
      st.stack.push(Frame.record(r.body(), r, tag));
    }
  }

  void stopRecording(String path, String tag) {
    st.emit(new Action.RecordStop(st.nextSeq(), path, tag));
    if (tag == null) {
      st.activeRecordings.clear();
    } else {
      st.activeRecordings.remove(tag);
    }
  }

  /** One Gather attempt: the prompts and the digit collection in one action. */
  void collect(Verb.Gather g, int attempt) {
    int seq = st.nextSeq();
    List<Action> prompts = new ArrayList<>();
    for (Verb prompt : g.prompts()) {
      Action a = media(prompt);
      if (a != null) {
        prompts.add(a);
      }
    }
    st.await(new Action.Collect(seq, g.src().path(), List.copyOf(prompts), g.maxDigits(), g.finishOnKey(),
        g.timeoutMs()), new Wait(Kind.COLLECT, g, attempt, null));
  }

  private void curl(Verb.Curl c) {
    String path = c.src().path();
    Map<String, String> headers = FetchParams.sorted(c.headers());
    if (c.async()) {
      st.emit(new Action.Notify(st.nextSeq(), path, c.url(), c.method(), FetchParams.curl(st), c.body(), headers,
          c.timeoutMs()));
      st.finished(c, true, "sent");
      return;
    }
    st.await(new Action.Fetch(st.nextSeq(), path, "CURL", c.url(), c.method(), FetchParams.curl(st), false, c.body(),
        headers, c.timeoutMs()), Wait.of(Kind.CURL, c));
  }

  /** The media action of a Say, Play, Pause or Tone (as a verb or as a Gather prompt), or null. */
  private Action media(Verb verb) {
    String path = verb.src().path();
    if (verb instanceof Verb.Say s) {
      return new Action.Say(st.nextSeq(), path, s.text(), s.type(), s.gender(), s.code(), s.lang(), s.loop(), s.leg());
    } else if (verb instanceof Verb.Play p) {
      return new Action.Play(st.nextSeq(), path, p.url(), p.record(), p.loop(), p.leg());
    } else if (verb instanceof Verb.Pause p) {
      return new Action.Pause(st.nextSeq(), path, p.lengthMs(), p.dtmfStop());
    } else if (verb instanceof Verb.Tone t) {
      return new Action.Tone(st.nextSeq(), path, t.hz(), t.onMs(), t.offMs(), t.loop(), t.volume(), t.timeoutMs(),
          t.leg());
    }
    return null;
  }

  static boolean isPost(String method) {
    return method != null && method.trim().toUpperCase(Locale.ROOT).equals("POST");
  }
}
