package io.openvoice.sms.gateway;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.pekko.actor.typed.ActorSystem;

/** Finds the off-net gateway named by {@code openvoice.sms.gateway} among the {@link SmsGatewayProvider}s. */
public final class SmsGateways {
  private SmsGateways() {}

  public static final String NONE = "none";

  /** The gateway named {@code name}; null for {@code "none"}; fails the start when no provider has that name. */
  public static SmsGateway offNet(String name, ActorSystem<?> system, Config config, SmsSink sink) {
    if (name == null || name.isBlank() || NONE.equalsIgnoreCase(name.trim())) return null;
    List<String> known = new ArrayList<>();
    for (SmsGatewayProvider p : ServiceLoader.load(SmsGatewayProvider.class, SmsGateways.class.getClassLoader())) {
      if (p.name().equalsIgnoreCase(name.trim())) return p.create(system, config, sink);
      known.add(p.name());
    }
    throw new IllegalStateException("openvoice.sms.gateway = \"" + name + "\": no such SMS gateway on the class path"
        + " (available: " + known + ", or \"none\")");
  }
}
