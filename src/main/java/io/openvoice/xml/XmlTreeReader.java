package io.openvoice.xml;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a document into a tree of {@link XmlElement}s with the JDK's StAX parser, hardened: no DTD (a
 * {@code <!DOCTYPE>} is an error, so no entity is ever declared or expanded), no external entities or DTDs, an
 * undeclared entity reference is an error, and the depth and element count are bounded while reading. Comments and
 * processing instructions are skipped.
 */
final class XmlTreeReader {
  private static final int SNIPPET = 40;
  private static final Pattern ELEMENT_TYPE = Pattern.compile("element type \"([^\"]+)\"");

  private final String doc;
  private final FlowXmlParser.Limits limits;
  private final LineIndex index;

  private XmlTreeReader(String doc, FlowXmlParser.Limits limits) {
    this.doc = doc;
    this.limits = limits;
    this.index = new LineIndex(doc);
  }

  /** Reads {@code doc} (already checked against {@code limits.maxChars()}) into its root element. */
  static XmlElement read(String doc, FlowXmlParser.Limits limits) throws FlowXmlException {
    return new XmlTreeReader(doc, limits).read();
  }

  private static XMLInputFactory newFactory() {
    // newDefaultFactory: always the JDK's own implementation, whatever else is on the class path.
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
    f.setProperty(XMLInputFactory.IS_VALIDATING, Boolean.FALSE);
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
      throw new XMLStreamException("external resources are not allowed: " + systemId);
    });
    return f;
  }

  private XmlElement read() throws FlowXmlException {
    XMLStreamReader r;
    try {
      r = newFactory().createXMLStreamReader(new StringReader(doc));
    } catch (XMLStreamException e) {
      throw malformed(e, null);
    }
    Deque<XmlElement> open = new ArrayDeque<>();
    XmlElement root = null;
    int elements = 0;
    // StAX reports where each event ends; that is exact for markup but not for character data (the scanner may
    // have looked ahead), so positions are found from the end of the last markup event.
    int markupEnd = 0;
    try {
      while (r.hasNext()) {
        int event = r.next();
        int end = index.offset(r.getLocation());
        switch (event) {
          case XMLStreamConstants.START_ELEMENT -> {
            int start = index.lastIndexOf('<', end, 0); // '<' cannot occur inside a start tag
            int line = index.line(start);
            int col = index.column(start);
            String name = qualifiedName(r.getPrefix(), r.getLocalName());
            elements++;
            if (elements > limits.maxElements()) {
              throw new FlowXmlException(line, col, name,
                  "document has more than " + limits.maxElements() + " elements, the limit");
            }
            if (open.size() + 1 > limits.maxDepth()) {
              throw new FlowXmlException(line, col, name,
                  "elements are nested more than " + limits.maxDepth() + " levels deep, the limit");
            }
            if (root == null && !name.equalsIgnoreCase("Response")) {
              throw new FlowXmlException(line, col, name, "root element must be <Response>, got <" + name + ">");
            }
            List<XmlElement.Attr> attrs = new ArrayList<>(r.getAttributeCount());
            for (int i = 0; i < r.getAttributeCount(); i++) {
              attrs.add(new XmlElement.Attr(qualifiedName(r.getAttributePrefix(i), r.getAttributeLocalName(i)),
                  r.getAttributeValue(i)));
            }
            XmlElement el = new XmlElement(name, line, col, attrs);
            if (root == null) {
              root = el;
            } else {
              open.peek().addChild(el);
            }
            open.push(el);
          }
          case XMLStreamConstants.END_ELEMENT -> open.pop();
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
            XmlElement top = open.peek();
            if (top != null) {
              String chunk = r.getText();
              top.appendText(chunk);
              if (!chunk.isBlank()) {
                int at = index.skipWhitespace(markupEnd);
                top.markText(index.line(at), index.column(at));
              }
            }
          }
          case XMLStreamConstants.ENTITY_REFERENCE -> {
            int at = index.lastIndexOf('&', end, 0);
            XmlElement top = open.peek();
            throw new FlowXmlException(index.line(at), index.column(at), top == null ? null : top.name(),
                "undeclared entity reference &" + r.getLocalName() + "; (only &amp; &lt; &gt; &quot; &apos; and"
                    + " character references are allowed)");
          }
          case XMLStreamConstants.DTD -> {
            int at = doc.indexOf("<!DOCTYPE", markupEnd);
            if (at < 0 || at > end) at = markupEnd;
            throw new FlowXmlException(index.line(at), index.column(at), null,
                "DTD is not allowed (found <!DOCTYPE ...>); a call-flow document has no DTD and no entities");
          }
          default -> {
            // START_DOCUMENT, END_DOCUMENT, COMMENT, PROCESSING_INSTRUCTION: nothing to keep
          }
        }
        if (event != XMLStreamConstants.CHARACTERS && event != XMLStreamConstants.SPACE) markupEnd = end;
      }
    } catch (XMLStreamException e) {
      throw malformed(e, open.peek());
    } finally {
      try {
        r.close();
      } catch (XMLStreamException ignored) {
        // nothing held open: the source is a string
      }
    }
    if (root == null) throw new FlowXmlException(1, 1, null, "document has no root element; expected <Response>");
    return root;
  }

  private static String qualifiedName(String prefix, String local) {
    return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
  }

  /** Wraps a StAX error as a readable problem at the position StAX reports. */
  private FlowXmlException malformed(XMLStreamException e, XmlElement open) {
    int line = e.getLocation() == null ? 0 : Math.max(e.getLocation().getLineNumber(), 0);
    int col = e.getLocation() == null ? 0 : Math.max(e.getLocation().getColumnNumber(), 0);
    String msg = staxMessage(e);
    if (open != null && msg.contains("must start and end within the same entity")) {
      return new FlowXmlException(line, col, open.name(), "malformed XML: the document ends before <" + open.name()
          + "> (line " + open.line() + ", column " + open.column() + ") is closed");
    }
    // The element at fault is the one StAX names (an unterminated or badly written tag), else none.
    Matcher named = ELEMENT_TYPE.matcher(msg);
    return new FlowXmlException(line, col, named.find() ? named.group(1) : null, "malformed XML: " + msg);
  }

  private static String staxMessage(XMLStreamException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int at = m.indexOf("Message: ");
    if (at >= 0) m = m.substring(at + "Message: ".length());
    m = m.strip().replaceAll("\\s+", " ");
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }

  static String snippet(String text) {
    String s = text.strip().replaceAll("\\s+", " ");
    return s.length() > SNIPPET ? s.substring(0, SNIPPET) + "..." : s;
  }
}
