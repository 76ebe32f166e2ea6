package io.openvoice.sms.gateway;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * How an off-net gateway joins a node: an implementation listed in
 * {@code META-INF/services/io.openvoice.sms.gateway.SmsGatewayProvider} whose {@link #name()} is the value of
 * {@code openvoice.sms.gateway} is created once per node, when the node starts, with the sink through which it hands
 * back inbound messages and delivery reports. {@code "none"} (no provider): off-net messages fail with
 * {@code no_route}.
 */
public interface SmsGatewayProvider {
  /** The name {@code openvoice.sms.gateway} selects it by (e.g. {@code "kannel"}). */
  String name();

  /** The gateway of this node. {@code config} is the node's whole configuration. */
  SmsGateway create(ActorSystem<?> system, Config config, SmsSink sink);
}
