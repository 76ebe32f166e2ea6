package io.openvoice.xml;

/**
 * A call-flow document that cannot be run: malformed, hostile, too big, or with an unknown element or a bad
 * attribute. The message says where (line, column, element) and what is wrong.
 */
public final class FlowXmlException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int line;
  private final int column;
  private final String element;
  private final String problem;

  public FlowXmlException(int line, int column, String element, String problem) {
    super(format(line, column, element, problem));
    this.line = line;
    this.column = column;
    this.element = element;
    this.problem = problem;
  }

  private static String format(int line, int column, String element, String problem) {
    StringBuilder sb = new StringBuilder();
    if (line > 0) sb.append("line ").append(line).append(", column ").append(column).append(": ");
    if (element != null) sb.append('<').append(element).append(">: ");
    return sb.append(problem).toString();
  }

  /** 1-based line, or 0 when unknown (e.g. the document is too large to read). */
  public int line() { return line; }
  public int column() { return column; }
  /** The element at fault, or null when the problem is with the document as a whole. */
  public String element() { return element; }
  /** What is wrong, without the position prefix. */
  public String problem() { return problem; }
}
