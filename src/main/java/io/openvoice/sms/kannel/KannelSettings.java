package io.openvoice.sms.kannel;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings shared by {@link KannelGateway} (submission) and {@link KannelRoutes} (callbacks), from
 * {@code openvoice.sms.kannel} (defaults and comments: {@code sms-kannel.conf}).
 *
 * @param sendsmsUrl smsbox's {@code /cgi-bin/sendsms} URL
 * @param username a {@code sendsms-user} of smsbox
 * @param password its password
 * @param smscId the smsc-id every message is routed to; empty for Kannel's own routing
 * @param dlrBaseUrl the platform's base URL as smsbox reaches it, without a trailing slash
 * @param dlrMask the sendsms {@code dlr-mask} (1, 2, 4, 8, 16 or a sum of them)
 * @param callbackToken the shared secret of the callbacks; empty refuses every callback
 * @param requestTimeout the bound of one sendsms request
 * @param connectTimeout the bound of establishing its TCP connection
 * @param maxConnections the connection pool's size towards smsbox
 * @param maxOpenRequests the pool's queue (a power of 2)
 */
public record KannelSettings(String sendsmsUrl, String username, String password, String smscId, String dlrBaseUrl,
    int dlrMask, String callbackToken, Duration requestTimeout, Duration connectTimeout, int maxConnections,
    int maxOpenRequests) {

  /** The config path of the block. */
  public static final String PATH = "openvoice.sms.kannel";

  public KannelSettings {
    Objects.requireNonNull(sendsmsUrl, "sendsmsUrl");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    smscId = smscId == null ? "" : smscId;
    Objects.requireNonNull(dlrBaseUrl, "dlrBaseUrl");
    callbackToken = callbackToken == null ? "" : callbackToken;
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    URI send = URI.create(sendsmsUrl);
    if (send.getHost() == null || !("http".equals(send.getScheme()) || "https".equals(send.getScheme()))) {
      throw new IllegalArgumentException(PATH + ".sendsms-url must be an absolute http(s) URL: " + sendsmsUrl);
    }
    if (send.getRawQuery() != null) {
      throw new IllegalArgumentException(PATH + ".sendsms-url must not carry a query: " + sendsmsUrl);
    }
    while (dlrBaseUrl.endsWith("/")) dlrBaseUrl = dlrBaseUrl.substring(0, dlrBaseUrl.length() - 1);
    URI base = URI.create(dlrBaseUrl);
    if (base.getHost() == null || base.getRawQuery() != null) {
      throw new IllegalArgumentException(PATH + ".dlr-base-url must be an absolute URL without a query: " + dlrBaseUrl);
    }
    if (dlrMask < 0 || dlrMask > 31) throw new IllegalArgumentException(PATH + ".dlr-mask must be within 0..31");
    if (!callbackToken.chars().allMatch(KannelSettings::unreserved)) {
      throw new IllegalArgumentException(PATH + ".callback-token may hold only letters, digits and -._~");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero() || connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException(PATH + ": request-timeout and connect-timeout must be positive");
    }
    if (maxConnections < 1) throw new IllegalArgumentException(PATH + ".max-connections must be positive");
    if (maxOpenRequests < 1 || Integer.bitCount(maxOpenRequests) != 1) {
      throw new IllegalArgumentException(PATH + ".max-open-requests must be a power of 2");
    }
  }

  /**
   * The block {@code openvoice.sms.kannel} of {@code config}, with what it lacks taken from the resource
   * {@code sms-kannel.conf} (so a node's config needs no include).
   */
  public static KannelSettings fromConfig(Config config) {
    Config defaults = ConfigFactory.parseResources(KannelSettings.class.getClassLoader(), "sms-kannel.conf");
    Config c = config.withFallback(defaults).resolve().getConfig(PATH);
    return new KannelSettings(c.getString("sendsms-url"), c.getString("username"), c.getString("password"),
        c.getString("smsc-id"), c.getString("dlr-base-url"), c.getInt("dlr-mask"), c.getString("callback-token"),
        c.getDuration("request-timeout"), c.getDuration("connect-timeout"), c.getInt("max-connections"),
        c.getInt("max-open-requests"));
  }

  /** A copy with another sendsms URL (tests point it at closed ports). */
  public KannelSettings withSendsmsUrl(String url) {
    return new KannelSettings(url, username, password, smscId, dlrBaseUrl, dlrMask, callbackToken, requestTimeout,
        connectTimeout, maxConnections, maxOpenRequests);
  }

  /** A copy with other sendsms-user credentials. */
  public KannelSettings withCredentials(String user, String pass) {
    return new KannelSettings(sendsmsUrl, user, pass, smscId, dlrBaseUrl, dlrMask, callbackToken, requestTimeout,
        connectTimeout, maxConnections, maxOpenRequests);
  }

  static boolean unreserved(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  @Override
  public String toString() { // no secrets in logs
    return "KannelSettings[sendsmsUrl=" + sendsmsUrl + ", username=" + username + ", smscId=" + smscId
        + ", dlrBaseUrl=" + dlrBaseUrl + ", dlrMask=" + dlrMask + ", requestTimeout=" + requestTimeout + "]";
  }
}
