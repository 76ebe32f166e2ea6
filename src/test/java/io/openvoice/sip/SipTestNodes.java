package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.events.PlatformEvent;
import io.openvoice.node.TestNode;
import java.nio.file.Files;
import java.util.List;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** A node with its SIP edge on loopback for SIPp tests, and the set-up steps those tests share. */
final class SipTestNodes {
  private SipTestNodes() {}

  /**
   * A node whose SIP edge listens on {@code sipPort} (UDP, 127.0.0.1) with RTP ports from {@code rtpPortMin}
   * (999 of them), plus {@code extraConfig}; every event published on its bus is added to {@code events}.
   */
  static TestNode start(String name, int sipPort, int rtpPortMin, String extraConfig, List<PlatformEvent> events)
      throws Exception {
    return start(Files.createTempDirectory("openvoice-" + name), name, sipPort, rtpPortMin, extraConfig, events);
  }

  /** The same with the node's data (its H2 database) in {@code dataDir}: nodes of one test cluster share one. */
  static TestNode start(java.nio.file.Path dataDir, String name, int sipPort, int rtpPortMin, String extraConfig,
                        List<PlatformEvent> events) throws Exception {
    assertTrue(Sipp.installed(), "SIPp is missing: run ops/setup.sh (Debian package sip-tester)");
    TestNode node = TestNode.start(dataDir, """
        openvoice.sip.enabled = true
        openvoice.sip.bind = "127.0.0.1"
        openvoice.sip.port = %d
        openvoice.sip.transports = ["udp"]
        openvoice.sip.rtp.port-min = %d
        openvoice.sip.rtp.port-max = %d
        %s
        """.formatted(sipPort, rtpPortMin, rtpPortMin + 998, extraConfig));
    var collector = node.node.system().systemActorOf(Behaviors.<PlatformEvent>receiveMessage(e -> {
      events.add(e);
      return Behaviors.same();
    }), name + "-test-events", Props.empty());
    node.node.platform().bus.subscribe(collector);
    return node;
  }

  /** Orders {@code tn} and assigns it to a new app whose hosted flow is {@code xml}. */
  static void numberWithFlow(TestNode node, long tn, String appName, String xml) throws Exception {
    String app = node.hostedApp(appName, xml);
    JsonNode order = node.call("POST", "/rest/order", "{\"items\":[{\"tn\":" + tn + "}]}", 201).path("payload");
    String lease = order.path("tnleases").get(0).path("uuid").asText();
    node.call("POST", "/rest/sip/app/" + app + "/tnlease", "{\"add\":[\"" + lease + "\"]}", 200);
    Thread.sleep(300); // the bus registers its subscriber asynchronously
  }

  /**
   * A SIP connection to a carrier on 127.0.0.1:{@code carrierPort} ({@code extraFields}: more JSON fields, e.g.
   * a tech prefix) and the order of {@code tn}; returns the number's lease uuid, the caller of placed calls.
   */
  static String carrierAndCaller(TestNode node, int carrierPort, String extraFields, long tn) throws Exception {
    node.call("POST", "/rest/sip/connection", "{\"name\":\"carrier\",\"ip\":\"127.0.0.1\",\"port\":" + carrierPort
        + extraFields + "}", 201);
    return node.call("POST", "/rest/order", "{\"items\":[{\"tn\":" + tn + "}]}", 201).path("payload")
        .path("tnleases").get(0).path("uuid").asText();
  }
}
