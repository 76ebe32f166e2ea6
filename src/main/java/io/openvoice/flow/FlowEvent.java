package io.openvoice.flow;

import io.openvoice.common.CborSerializable;
import java.util.Map;

/**
 * A step of the flow as it runs, for call_flow events, the call-flow log and the simulator trace.
 * {@code phase}: STARTED when a verb begins, FINISHED when it ends ({@code success} and {@code reason} say how),
 * SKIPPED when a condition block did not match. {@code metas}: the verb's own {@code <Meta>} values.
 */
public record FlowEvent(String path, String command, Phase phase, boolean success, String reason, String tag,
                        Map<String, Object> metas) implements CborSerializable {
  public enum Phase { STARTED, FINISHED, SKIPPED }
}
