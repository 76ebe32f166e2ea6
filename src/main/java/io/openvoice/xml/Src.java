package io.openvoice.xml;

/**
 * Where a node came from: its call-flow path (element name + index within its parent, e.g.
 * {@code Gather[0].DTMF[1].Say[0]}; the root's children are {@code Answer[0]}, {@code Say[1]}, ...) and its
 * position in the source document (1-based line and column of the start tag).
 */
public record Src(String path, int line, int column) {
  public String name() {
    int dot = path.lastIndexOf('.');
    String last = dot < 0 ? path : path.substring(dot + 1);
    int br = last.indexOf('[');
    return br < 0 ? last : last.substring(0, br);
  }
}
