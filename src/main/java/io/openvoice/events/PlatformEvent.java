package io.openvoice.events;

import io.openvoice.common.CborSerializable;
import java.time.Instant;

/**
 * One event on the internal bus, already rendered as the JSON Opentact clients expect (reference 6.2-6.4).
 * {@code type}: call_state, call_flow, ...; {@code refId}: the call (or other object) it is about.
 */
public record PlatformEvent(String uuid, String type, String accountId, String refId, Instant createdOn,
                            String json) implements CborSerializable {}
