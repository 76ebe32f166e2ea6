package io.openvoice.api;

import java.util.Map;

/** A successful API answer: HTTP status, the {@code payload}, and extra top-level envelope fields. */
public record Reply(int status, Object payload, Map<String, Object> extra) {
  public static Reply ok(Object payload) { return new Reply(200, payload, Map.of()); }
  public static Reply created(Object payload) { return new Reply(201, payload, Map.of()); }
}
