package io.openvoice.api.openapi;

/** Schemas of calls ({@code io.openvoice.call.CallView}, snake_case) and of the flow simulator. */
final class CallSchemas {
  private CallSchemas() {}

  static S call() {
    return S.obj().desc("A call (ISIPControlAppCall)")
        .req("uuid", S.uuid()).prop("type", S.str()).prop("direction", S.enumOf("in", "out"))
        .prop("from", S.str()).prop("to", S.str())
        .req("state", S.enumOf("init", "ringing", "live", "bridged", "hangup", "destroyed", "failed"))
        .prop("status", S.enumOf("online", "offline").desc("the coarse state of the older call-list APIs"))
        .prop("duration", S.int64())
        .prop("created_on", Schemas.ts("created")).prop("modified_on", Schemas.ts("modified"))
        .prop("init_on", Schemas.ts("init")).prop("ring_on", Schemas.ts("ringing"))
        .prop("answer_on", Schemas.ts("answered")).prop("hangup_on", Schemas.ts("hang-up"))
        .prop("destroy_on", Schemas.ts("destroyed")).prop("finished_on", Schemas.ts("finished"))
        .prop("q850_cause", S.int32().nullable()).prop("q850_cause_string", S.str().nullable())
        .prop("hangup_reason", S.str().nullable())
        .prop("tn", S.obj().nullable().prop("tn", S.str()))
        .prop("sip_control_app", S.obj().nullable()
            .prop("uuid", S.uuid()).prop("name", S.str()).prop("is_active", S.bool()).prop("auto_answer", S.bool())
            .prop("webhook_url", S.str().nullable()).prop("webhook_method", S.str().nullable())
            .prop("webhook_request_timeout", S.int64()).prop("max_call_length_min", S.int32().nullable()))
        .prop("account", S.obj().prop("uuid", S.uuid()))
        .prop("parent", S.uuid().nullable().desc("the parent call of a dialled leg"))
        .prop("meta", S.obj().nullable().additional(S.any()))
        .prop("digits", S.str().nullable())
        .prop("freeswitch_call_state", S.str()).prop("freeswitch_channel_state", S.str())
        .prop("sip_user", S.str().nullable()).prop("thread", S.str().nullable());
  }

  /** A row of the call log ({@code CallLogApi.callJson}): the call fields the log keeps. */
  static S callLogEntry() {
    return S.obj().desc("A call of the call log (the fields of a call that the log keeps)")
        .req("uuid", S.uuid()).prop("type", S.str()).prop("direction", S.enumOf("in", "out"))
        .prop("from", S.str().nullable()).prop("to", S.str().nullable())
        .req("state", S.enumOf("init", "ringing", "live", "bridged", "hangup", "destroyed", "failed")
            .desc("the call's last state"))
        .req("status", S.enumOf("online", "offline").desc("the coarse state the `state` filter selects"))
        .prop("duration", S.int64().desc("seconds from creation to the call's last event (its end once offline)"))
        .prop("created_on", Schemas.ts("created")).prop("modified_on", Schemas.ts("last changed"))
        .prop("init_on", Schemas.ts("init")).prop("ring_on", Schemas.ts("ringing"))
        .prop("answer_on", Schemas.ts("answered")).prop("hangup_on", Schemas.ts("hang-up"))
        .prop("destroy_on", Schemas.ts("destroyed")).prop("finished_on", Schemas.ts("finished"))
        .prop("q850_cause", S.int32().nullable()).prop("q850_cause_string", S.str().nullable())
        .prop("hangup_reason", S.str().nullable())
        .prop("tn", S.obj().nullable().prop("tn", S.str()))
        .prop("sip_control_app", S.obj().nullable().prop("uuid", S.uuid()).prop("name", S.str().nullable()))
        .prop("account", S.obj().prop("uuid", S.uuid()))
        .prop("parent", S.uuid().nullable().desc("the parent call of a dialled leg"));
  }

  /** A row of an app's call-flow log ({@code CallLogApi.stepJson}), reference ILogCallFlow. */
  static S callFlowLogEntry() {
    S phase = S.enumOf("started", "finished", "skipped");
    return S.obj().desc("One call-flow step of a call: a verb started, finished or skipped (ILogCallFlow)")
        .req("uuid", S.uuid()).req("call", S.uuid()).prop("sip_control_app", S.uuid())
        .req("name", S.str().desc("the XML element, e.g. Say")).req("path", S.str().desc("e.g. Gather[1].Say[0]"))
        .req("phase", phase).req("success", S.bool()).prop("reason", S.str().nullable())
        .prop("command", S.obj().prop("name", S.str()).prop("path", S.str()).prop("phase", phase)
            .prop("success", S.bool()).prop("reason", S.str().nullable()).prop("tag", S.str()))
        .prop("response", S.obj())
        .prop("from", S.str().nullable()).prop("tn", S.str().nullable())
        .prop("created_on", Schemas.ts("when the step happened")).prop("modified_on", Schemas.ts("same as created_on"));
  }

  static S simulation() {
    return S.obj().desc("The outcome of a simulated call (with `wait`: after the call ended)")
        .req("admitted", S.bool().desc("false when a real call would have been refused"))
        .prop("reason", S.str().nullable().desc("why it was refused, or why it hung up"))
        .prop("state", S.str())
        .prop("call", S.ref("Call"))
        .prop("q850_cause", S.int32().nullable()).prop("q850_cause_string", S.str().nullable())
        .req("trace", S.arr(S.ref("CallTraceEntry")));
  }

  /** The simulate request body ({@code io.openvoice.sim.SimScript} and the handler's own fields). */
  static S simulateRequest() {
    return S.obj()
        .req("from", S.str().minLen(1).desc("caller number or URI"))
        .req("to", S.str().minLen(1).desc("dialled number; when it is one of the account's numbers, that number's "
            + "routing (assignment to this app, blacklist, whitelist) is applied"))
        .prop("actions", S.arr(S.obj()
            .req("at_ms", S.int64().desc("ms from the start of the call"))
            .prop("digits", S.str().pattern("^[0-9*#A-Da-d]+$"))
            .prop("hangup", S.bool())).desc("what the caller does"))
        .prop("dial", S.obj().desc("how dialled parties behave")
            .prop("answer", S.bool().dflt(false)).prop("answer_after_ms", S.int64()).prop("talk_ms", S.int64())
            .prop("reason", S.enumOf("no_answer", "busy", "unreachable").dflt("no_answer")))
        .prop("realtime", S.bool().dflt(false).desc("real time instead of virtual time"))
        .prop("wait", S.bool().dflt(true).desc("answer with the finished trace (200) instead of at once (201)"))
        .prop("timeout_ms", S.int64().desc("with wait: hang up after this long (default 30000, 120000 realtime)"));
  }
}
