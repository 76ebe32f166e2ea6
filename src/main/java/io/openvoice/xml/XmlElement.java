package io.openvoice.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A raw element read from the document, before it is given meaning: its name as written, the position of its start
 * tag, its attributes, its element children and its character data. Mutable only while {@link XmlTreeReader} builds
 * the tree.
 */
final class XmlElement {
  /** An attribute as written in the document. */
  record Attr(String name, String value) {}

  private final String name;
  private final String key;
  private final int line;
  private final int column;
  private final List<Attr> attrs;
  private final List<XmlElement> children = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private int textLine;
  private int textColumn;

  XmlElement(String name, int line, int column, List<Attr> attrs) {
    this.name = name;
    this.key = name.toLowerCase(Locale.ROOT);
    this.line = line;
    this.column = column;
    this.attrs = List.copyOf(attrs);
  }

  /** The element name as written. */
  String name() { return name; }
  /** The element name lower-cased: what matching is done on. */
  String key() { return key; }
  int line() { return line; }
  int column() { return column; }
  List<Attr> attrs() { return attrs; }
  List<XmlElement> children() { return children; }

  /** All character data of this element (not of its children), concatenated, as read. */
  String text() { return text.toString(); }
  /** True when the element holds character data other than whitespace. */
  boolean hasText() { return textLine > 0; }
  /** Position of the first non-whitespace character data, or 0 when there is none. */
  int textLine() { return textLine; }
  int textColumn() { return textColumn; }

  void addChild(XmlElement child) { children.add(child); }

  void appendText(String chunk) { text.append(chunk); }

  void markText(int line, int column) {
    if (textLine == 0) {
      textLine = line;
      textColumn = column;
    }
  }

  FlowXmlException error(String problem) {
    return new FlowXmlException(line, column, name, problem);
  }
}
