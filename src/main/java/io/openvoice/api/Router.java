package io.openvoice.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The route table: method + path pattern ({@code /rest/sip/app/{uuid}}) → handler. Routes are tried in the order
 * they were added, so literal paths go before patterns that would also match them. The table is data, so the
 * OpenAPI document can be checked against it.
 */
public final class Router {
  @FunctionalInterface
  public interface Handler {
    CompletionStage<Reply> handle(Req req) throws Exception;
  }

  /** {@code auth}: false only for the few public routes (health, GET /rest/auth does its own). */
  public record Route(String method, String pattern, boolean auth, Handler handler) {
    String[] segments() { return pattern.substring(1).split("/"); }
  }

  public record Match(Route route, Map<String, String> vars) {}

  private final List<Route> routes = new ArrayList<>();

  public Router add(String method, String pattern, Handler h) {
    routes.add(new Route(method, pattern, true, h));
    return this;
  }

  public Router addPublic(String method, String pattern, Handler h) {
    routes.add(new Route(method, pattern, false, h));
    return this;
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /** The matching route; {@code methodMismatch} is set when the path exists with other methods only. */
  public Match match(String method, String path, boolean[] methodMismatch) {
    String[] parts = (path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path)
        .substring(1).split("/");
    for (Route r : routes) {
      Map<String, String> vars = matchPath(r.segments(), parts);
      if (vars == null) continue;
      if (r.method().equals(method)) return new Match(r, vars);
      methodMismatch[0] = true;
    }
    return null;
  }

  private static Map<String, String> matchPath(String[] pattern, String[] parts) {
    if (pattern.length != parts.length) return null;
    Map<String, String> vars = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (parts[i].isEmpty()) return null;
        vars.put(p.substring(1, p.length() - 1), java.net.URLDecoder.decode(parts[i], java.nio.charset.StandardCharsets.UTF_8));
      } else if (!p.equals(parts[i])) {
        return null;
      }
    }
    return vars;
  }
}
