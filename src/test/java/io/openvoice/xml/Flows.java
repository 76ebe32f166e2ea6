package io.openvoice.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test helpers: the reference documents under {@code flows/reference/} and short-hand access to parsed nodes. */
final class Flows {
  static final String REFERENCE_DIR = "/flows/reference/";

  private Flows() {}

  /** The text of {@code flows/reference/<name>.xml}. */
  static String referenceText(String name) {
    try (InputStream in = Flows.class.getResourceAsStream(REFERENCE_DIR + name + ".xml")) {
      assertNotNull(in, "missing test resource " + REFERENCE_DIR + name + ".xml");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CallFlow reference(String name) throws FlowXmlException {
    return FlowXmlParser.parse(referenceText(name));
  }

  /** Parses {@code inner} wrapped in {@code <Response>}. */
  static CallFlow fragment(String inner) throws FlowXmlException {
    return FlowXmlParser.parse("<Response>" + inner + "</Response>");
  }

  /** The only node of a fragment, as {@code type}. */
  static <T> T single(String inner, Class<T> type) throws FlowXmlException {
    List<Node> body = fragment(inner).body();
    assertEquals(1, body.size(), "nodes in " + inner);
    return assertInstanceOf(type, body.get(0));
  }

  static <T> T at(List<? extends Node> body, int index, Class<T> type) {
    return assertInstanceOf(type, body.get(index), "node " + index);
  }

  static <T> T at(CallFlow flow, int index, Class<T> type) {
    return at(flow.body(), index, type);
  }
}
