package io.openvoice.bench;

import io.openvoice.xml.CallFlow;
import io.openvoice.xml.FlowXmlException;
import io.openvoice.xml.FlowXmlParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;

/** The benchmark documents (resources {@code bench/<name>.xml}) and the hardened JDK parsers of the references. */
final class Docs {
  private Docs() {}

  /** The document {@code small} or {@code large} as the string the platform parses. */
  static String load(String name) {
    try (InputStream in = Docs.class.getResourceAsStream("/bench/" + name + ".xml")) {
      if (in == null) throw new IllegalArgumentException("no benchmark document " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CallFlow parse(String xml) {
    try {
      return FlowXmlParser.parse(xml);
    } catch (FlowXmlException e) {
      throw new IllegalStateException("benchmark document does not parse: " + e.getMessage(), e);
    }
  }

  /** The JDK's own StAX factory with the same hardening as the platform's reader (no DTD, no external entities). */
  static XMLInputFactory hardenedStax() {
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

  /** The JDK's own DOM builder factory, hardened the usual way (secure processing, no DOCTYPE, no external access). */
  static DocumentBuilderFactory hardenedDom() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      f.setExpandEntityReferences(false);
      f.setXIncludeAware(false);
      f.setNamespaceAware(false);
      return f;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }
}
