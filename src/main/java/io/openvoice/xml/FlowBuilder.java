package io.openvoice.xml;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives a raw element tree its meaning: sequences, handlers ({@code <Error>}, {@code <Default>}), {@code <Meta>}
 * nodes and paths. The verbs themselves are built by {@link VerbBuilder}.
 */
final class FlowBuilder {
  /** What a sequence (Response, a branch, a block, a container's body) may hold. */
  static final List<String> SEQUENCE_ITEMS = concat(Names.VERBS, List.of("Error", "Meta"));
  static final List<String> HANDLERS_ONLY = List.of("Error", "Meta");

  private final VerbBuilder verbs = new VerbBuilder(this);

  CallFlow build(XmlElement root) throws FlowXmlException {
    new AttributeReader(root); // <Response> takes no attributes
    return new CallFlow(sequence(root, ""));
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  /** The path of the {@code index}-th element child of the element at {@code parentPath}. */
  static String childPath(String parentPath, XmlElement child, int index) {
    String step = Names.canonical(child) + "[" + index + "]";
    return parentPath.isEmpty() ? step : parentPath + "." + step;
  }

  static Src src(XmlElement el, String path) {
    return new Src(path, el.line(), el.column());
  }

  /** Non-whitespace text inside an element that holds none is an error at the text. */
  static void rejectText(XmlElement el) throws FlowXmlException {
    if (el.hasText()) {
      throw new FlowXmlException(el.textLine(), el.textColumn(), el.name(),
          "text is not allowed inside <" + el.name() + ">: '" + XmlTreeReader.snippet(el.text()) + "'");
    }
  }

  /** An element that holds only text: any element child is an error. */
  static void rejectChildren(XmlElement el, String holds) throws FlowXmlException {
    if (!el.children().isEmpty()) {
      XmlElement child = el.children().get(0);
      throw child.error("<" + child.name() + "> is not allowed inside <" + el.name() + ">; a <" + el.name()
          + "> holds only " + holds);
    }
  }

  /** The stripped text content, or null when there is none. */
  static String content(XmlElement el) {
    return el.hasText() ? el.text().strip() : null;
  }

  /** A sequence: verbs, sibling {@code <Error>} blocks and {@code <Meta>} nodes, in document order. */
  List<Node> sequence(XmlElement parent, String path) throws FlowXmlException {
    rejectText(parent);
    List<Node> out = new ArrayList<>();
    List<XmlElement> kids = parent.children();
    for (int i = 0; i < kids.size(); i++) {
      XmlElement child = kids.get(i);
      String cpath = childPath(path, child, i);
      switch (Names.kind(child)) {
        case VERB -> out.add(verbs.build(child, cpath));
        case ERROR -> out.add(block(child, cpath, Block.Kind.ERROR));
        case META -> out.add(meta(child, cpath));
        default -> throw Names.misplaced(child, parent, SEQUENCE_ITEMS);
      }
    }
    return out;
  }

  /**
   * A sequence whose {@code <Error>} items are the parent verb's own handler and whose {@code <Meta>} items are the
   * parent's metas (a {@code <Record>} body).
   */
  List<Node> body(XmlElement parent, String path, Extras extras) throws FlowXmlException {
    rejectText(parent);
    List<Node> out = new ArrayList<>();
    List<XmlElement> kids = parent.children();
    for (int i = 0; i < kids.size(); i++) {
      XmlElement child = kids.get(i);
      String cpath = childPath(path, child, i);
      if (extras.take(parent, child, cpath)) continue;
      if (Names.kind(child) != Names.Kind.VERB) throw Names.misplaced(child, parent, SEQUENCE_ITEMS);
      out.add(verbs.build(child, cpath));
    }
    return out;
  }

  /** Children of a verb that holds only handlers: {@code <Error>} → onError, {@code <Meta>} → metas. */
  Extras extras(XmlElement el, String path, boolean textAllowed) throws FlowXmlException {
    if (!textAllowed) rejectText(el);
    Extras x = new Extras();
    List<XmlElement> kids = el.children();
    for (int i = 0; i < kids.size(); i++) {
      XmlElement child = kids.get(i);
      if (!x.take(el, child, childPath(path, child, i))) throw Names.misplaced(child, el, HANDLERS_ONLY);
    }
    return x;
  }

  /** A verb's own {@code <Error>} child (at most one) and its {@code <Meta>} children. */
  final class Extras {
    Block onError;
    final List<Meta> metas = new ArrayList<>();

    /** Takes {@code child} when it is an Error or a Meta; false for anything else. */
    boolean take(XmlElement parent, XmlElement child, String cpath) throws FlowXmlException {
      switch (Names.kind(child)) {
        case ERROR -> {
          onError = once(parent, onError, block(child, cpath, Block.Kind.ERROR));
          return true;
        }
        case META -> {
          metas.add(meta(child, cpath));
          return true;
        }
        default -> {
          return false;
        }
      }
    }
  }

  /** {@code current} unless it is already set, which is an error at the second block. */
  static Block once(XmlElement parent, Block current, Block next) throws FlowXmlException {
    if (current != null) {
      String n = next.kind() == Block.Kind.ERROR ? "Error" : "Default";
      throw new FlowXmlException(next.src().line(), next.src().column(), n, "<" + parent.name()
          + "> has more than one <" + n + ">; the first is at line " + current.src().line() + ", column "
          + current.src().column());
    }
    return next;
  }

  /** {@code <Error>} or {@code <Default>}: a tagged sequence. */
  Block block(XmlElement el, String path, Block.Kind kind) throws FlowXmlException {
    AttributeReader a = new AttributeReader(el, "tag");
    return new Block(src(el, path), kind, a.tag(), sequence(el, path));
  }

  /** {@code <Meta name value/>} or {@code <Meta name>value</Meta>}. */
  Meta meta(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = new AttributeReader(el, "name", "value");
    String name = a.required("name");
    rejectChildren(el, "its value as text");
    String value = attributeOrContent(a, "value");
    return new Meta(src(el, path), name, Values.metaValue(value == null ? "" : value));
  }

  /**
   * A value given either as attribute {@code name} or as the element's text content (stripped), not both; null
   * when neither (or blank).
   */
  static String attributeOrContent(AttributeReader a, String name) throws FlowXmlException {
    XmlElement el = a.element();
    XmlElement.Attr attr = a.find(name);
    String text = content(el);
    if (attr != null && text != null) {
      throw el.error("give the " + name + " either as the '" + attr.name() + "' attribute or as text content,"
          + " not both");
    }
    if (attr != null) return attr.value().isBlank() ? null : attr.value().strip();
    return text;
  }
}
