package io.openvoice.xml;

import java.util.List;

/**
 * An {@code <Error>} or {@code <Default>} block. As a child of a verb it is stored in that verb's {@code onError}
 * (or Gather's {@code onDefault}); as an item of a sequence it is a <em>sibling</em> {@code <Error>} that handles the
 * verb just before it and is skipped in normal flow.
 */
public record Block(Src src, Kind kind, String tag, List<Node> body) implements Node {
  public enum Kind { ERROR, DEFAULT }

  public Block {
    body = List.copyOf(body);
  }
}
