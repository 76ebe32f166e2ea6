package io.openvoice.xml;

import java.util.List;

/** A parsed {@code <Response>} document: the top-level sequence. Immutable. */
public record CallFlow(List<Node> body) {
  public CallFlow {
    body = List.copyOf(body);
  }
}
