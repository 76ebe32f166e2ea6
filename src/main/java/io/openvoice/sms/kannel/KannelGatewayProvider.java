package io.openvoice.sms.kannel;

import com.typesafe.config.Config;
import io.openvoice.sms.gateway.SmsGateway;
import io.openvoice.sms.gateway.SmsGatewayProvider;
import io.openvoice.sms.gateway.SmsSink;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * {@code openvoice.sms.gateway = "kannel"}: off-net messages go out through Kannel's smsbox ({@link KannelGateway},
 * settings {@code openvoice.sms.kannel}). What Kannel sends back comes in through {@link KannelRoutes}, which the
 * node's API registers when its off-net gateway is a {@code KannelGateway}, handing it to the sink given here.
 */
public final class KannelGatewayProvider implements SmsGatewayProvider {
  @Override
  public String name() {
    return KannelRoutes.GATEWAY;
  }

  @Override
  public SmsGateway create(ActorSystem<?> system, Config config, SmsSink sink) {
    return new KannelGateway(system, KannelSettings.fromConfig(config), sink);
  }
}
