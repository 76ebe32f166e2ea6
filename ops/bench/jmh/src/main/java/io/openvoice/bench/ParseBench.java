package io.openvoice.bench;

import io.openvoice.xml.CallFlow;
import io.openvoice.xml.FlowXmlException;
import io.openvoice.xml.FlowXmlParser;
import java.io.StringReader;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * Call-flow documents parsed per second: the platform's {@link FlowXmlParser} (hardened StAX read into a tree with
 * line/column positions, then every element given its meaning, defaults applied, into an immutable
 * {@link CallFlow}) against the references, the JDK's own hardened parsers reading the same string with no
 * interpretation: a StAX pass that touches every name, attribute and text (what our reader must do at least),
 * and a DOM build (what a typical "parse to a tree" costs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParseBench {

  @Param({"small", "large"})
  public String doc;

  private String xml;
  private XMLInputFactory stax;
  private DocumentBuilder dom;

  @Setup
  public void setup() throws Exception {
    xml = Docs.load(doc);
    Docs.parse(xml); // fails the run at once if the document is not valid
    stax = Docs.hardenedStax();
    dom = Docs.hardenedDom().newDocumentBuilder();
  }

  @Benchmark
  public CallFlow ours() throws FlowXmlException {
    return FlowXmlParser.parse(xml);
  }

  @Benchmark
  public void referenceStax(Blackhole bh) throws XMLStreamException {
    XMLStreamReader r = stax.createXMLStreamReader(new StringReader(xml));
    try {
      while (r.hasNext()) {
        int ev = r.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          bh.consume(r.getLocalName());
          for (int i = 0; i < r.getAttributeCount(); i++) {
            bh.consume(r.getAttributeLocalName(i));
            bh.consume(r.getAttributeValue(i));
          }
        } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA
            || ev == XMLStreamConstants.SPACE) {
          bh.consume(r.getText());
        }
      }
    } finally {
      r.close();
    }
  }

  @Benchmark
  public Document referenceDom() throws Exception {
    dom.reset();
    return dom.parse(new InputSource(new StringReader(xml)));
  }
}
