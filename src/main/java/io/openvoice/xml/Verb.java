package io.openvoice.xml;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An executable call-flow element. Every verb may carry an {@code <Error>} child (its own failure handler, or null)
 * and {@code <Meta>} children (variables attached to it). Durations are milliseconds; the parser has already
 * applied every default, so interpreter code never looks at raw attributes.
 */
public sealed interface Verb extends Node {
  /** The {@code tag} attribute, or null. */
  String tag();
  /** The verb's own {@code <Error>} child, or null. */
  Block onError();
  /** {@code <Meta>} children, in document order. */
  List<Meta> metas();

  /** {@code <Answer delay tag/>}. */
  record Answer(Src src, long delayMs, String tag, Block onError, List<Meta> metas) implements Verb {}

  /** {@code <Hangup/>}: {@code cause} is a Q.850 cause (default 16 NORMAL_CLEARING); {@code reason} free text. */
  record Hangup(Src src, int cause, String reason, String tag, Block onError, List<Meta> metas) implements Verb {}

  /** {@code <Reject reason="rejected|busy"/>}: refuse an unanswered call. */
  record Reject(Src src, String reason, String tag, Block onError, List<Meta> metas) implements Verb {}

  /**
   * {@code <Say>}: text from content or {@code text}; {@code type} Standard|WaveNet, {@code gender} MALE|FEMALE,
   * {@code code} voice code or null, {@code lang} (default en-US), {@code loop} (default 1, 0 = until hang-up),
   * {@code leg} aleg|bleg|both (default aleg).
   */
  record Say(Src src, String text, String type, String gender, String code, String lang, int loop, String leg,
             String tag, Block onError, List<Meta> metas) implements Verb {}

  /**
   * {@code <Play>}: exactly one of {@code url} (content or attribute) and {@code record} (the tag of a recording
   * made earlier in this call) is set. {@code loop} default 1 (0 = until hang-up), {@code leg} default aleg.
   */
  record Play(Src src, String url, String record, int loop, String leg, String tag, Block onError,
              List<Meta> metas) implements Verb {}

  /** {@code <Pause length dtmf_stop/>}: wait {@code lengthMs} (default 1000); {@code dtmfStop} key or null. */
  record Pause(Src src, long lengthMs, String dtmfStop, String tag, Block onError, List<Meta> metas)
      implements Verb {}

  /**
   * {@code <Record>}: records while {@code body} runs; with an empty body it records until {@code timeoutMs}
   * (default 60000) or {@code dtmfStop}. {@code format} wav|mp3 (default wav), {@code leg} default both.
   */
  record Record(Src src, String tag, boolean asr, long timeoutMs, String format, String leg, boolean beep,
                String dtmfStop, List<Node> body, Block onError, List<Meta> metas) implements Verb {
    public Record {
      body = List.copyOf(body);
    }
  }

  /** {@code <RecordStart/>}: background recording; the flow continues at once. */
  record RecordStart(Src src, String tag, String leg, String format, boolean stereo, boolean asr, long timeoutMs,
                     Block onError, List<Meta> metas) implements Verb {}

  /** {@code <RecordStop tag/>}: stops the named background recording, or all when {@code tag} is null. */
  record RecordStop(Src src, String tag, Block onError, List<Meta> metas) implements Verb {}

  /** {@code <RecordWait tag timeout/>}: waits until the named recording ends, at most {@code timeoutMs}. */
  record RecordWait(Src src, String tag, long timeoutMs, Block onError, List<Meta> metas) implements Verb {}

  /**
   * {@code <Gather>} in any of its three syntaxes, normalised:
   * {@code maxDigits} (dtmf_length|numDigits|length; 0 = until the finish key or the timeout),
   * {@code finishOnKey} (dtmf_stop|finishOnKey, default "#", null = none), {@code timeoutMs} (default 5000),
   * {@code attempts} (default 1), {@code url} (url|callback, or null), {@code method} (default GET).
   * {@code prompts} are the fillers (Say, Play, Pause, Tone) played while waiting; {@code branches} come from
   * {@code <DTMF value>} or {@code <Switch><Case dtmf>}; {@code onDefault} from {@code <Default>} (in Gather or
   * Switch), {@code onError} from {@code <Error>} (in Gather or Switch).
   */
  record Gather(Src src, int maxDigits, String finishOnKey, long timeoutMs, int attempts, String url,
                String method, String tag, List<Verb> prompts, List<Branch> branches, Block onDefault,
                Block onError, List<Meta> metas) implements Verb {
    public Gather {
      prompts = List.copyOf(prompts);
      branches = List.copyOf(branches);
    }
  }

  /** A Gather branch: {@code <DTMF value="1">} or {@code <Case dtmf="1">}; runs when the digits equal value. */
  record Branch(Src src, String value, String tag, List<Node> body) {
    public Branch {
      body = List.copyOf(body);
    }
  }

  /**
   * {@code <Dial>}: {@code targets} from {@code <To>}, {@code <Sip>} or {@code <Number>} children, rung at once.
   * {@code timeoutMs} ring timeout (default 30000), {@code callerId} or null (platform rule),
   * {@code record} do-not-record|record-from-answer, {@code timeLimitMs} 0 = app maximum.
   */
  record Dial(Src src, List<DialTarget> targets, long timeoutMs, String callerId, String record, long timeLimitMs,
              String tag, Block onError, List<Meta> metas) implements Verb {
    public Dial {
      targets = List.copyOf(targets);
    }
  }

  /** A dial target. {@code kind}: SIP_URI ({@code sip:u@h}), SIP_USER ({@code u@h}), NUMBER (digits, + allowed). */
  record DialTarget(Src src, TargetKind kind, String value) {}

  enum TargetKind { SIP_URI, SIP_USER, NUMBER }

  /** What a dial target string is ({@code sip:u@h}, {@code u@h}, digits), or null when it is none of them. */
  static TargetKind targetKindOf(String target) {
    return Values.targetKind(target);
  }

  /**
   * {@code <Callback url method body timeout tag>} (also {@code <callback>URL</callback>} and legacy
   * {@code <Redirect>}): fetch XML and replace the rest of the flow with it. {@code method} default POST for
   * Callback, {@code timeoutMs} default 10000.
   */
  record Callback(Src src, String url, String method, boolean includeBody, long timeoutMs, String tag,
                  Block onError, List<Meta> metas) implements Verb {}

  /** {@code <Call field value op>}: runs {@code body} when the call property matches. {@code op} default eq. */
  record Call(Src src, String field, String value, String op, List<Node> body, String tag, Block onError,
              List<Meta> metas) implements Verb {
    public Call {
      body = List.copyOf(body);
    }
  }

  /** {@code <Geo states county>}: runs {@code body} when the caller's geography matches (empty = always). */
  record Geo(Src src, Set<String> states, String county, List<Node> body, String tag, Block onError,
             List<Meta> metas) implements Verb {
    public Geo {
      states = Set.copyOf(states);
      body = List.copyOf(body);
    }
  }

  /**
   * {@code <Schedule dow time tz>} / {@code <Scheduler>}: runs {@code body} when now (in {@code tz}, or the
   * account's zone when null) falls on one of {@code days} (empty = every day) and within [from, to] inclusive
   * (both null = all day).
   */
  record Schedule(Src src, Set<DayOfWeek> days, LocalTime from, LocalTime to, String tz, List<Node> body,
                  String tag, Block onError, List<Meta> metas) implements Verb {
    public Schedule {
      days = Set.copyOf(days);
      body = List.copyOf(body);
    }
  }

  /** {@code <Hold timeout url/>}: hold (music) until {@code timeoutMs} (default 300000). */
  record Hold(Src src, long timeoutMs, String url, String tag, Block onError, List<Meta> metas) implements Verb {}

  /** {@code <Unhold/>}. */
  record Unhold(Src src, String tag, Block onError, List<Meta> metas) implements Verb {}

  /**
   * {@code <Tone>}: {@code hz} frequencies played together in each "on" period (default [440]), {@code onMs}
   * (don, default 1000), {@code offMs} (doff, default 0), {@code loop} (default 1), {@code volume} dB (volume|v,
   * default 0), {@code timeoutMs} (default 30000), {@code leg} (default aleg).
   */
  record Tone(Src src, List<Integer> hz, long onMs, long offMs, int loop, int volume, long timeoutMs, String leg,
              String tag, Block onError, List<Meta> metas) implements Verb {
    public Tone {
      hz = List.copyOf(hz);
    }
  }

  /**
   * {@code <Curl url method timeout body async execute>} with {@code <Header name value>} children:
   * an HTTP request during the call. {@code async}: do not wait; {@code execute}: a {@code <Response>} answer
   * replaces the rest of the flow.
   */
  record Curl(Src src, String url, String method, long timeoutMs, String body, Map<String, String> headers,
              boolean async, boolean execute, String tag, Block onError, List<Meta> metas) implements Verb {
    public Curl {
      headers = Map.copyOf(headers);
    }
  }
}
