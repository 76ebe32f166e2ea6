package io.openvoice.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The route table: method + path pattern ({@code /rest/sip/app/{uuid}}) → handler. When several routes of the
 * request's method match a path, the most specific wins: at the leftmost segment where they differ, a literal beats
 * a {@code {var}}; between equally specific routes, the one added first. Path segments are percent-decoded (a
 * {@code +} stays a plus: it is form encoding, not path encoding); a malformed escape matches nothing. The table is
 * data, so the OpenAPI document can be checked against it.
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
    String[] parts = parts(path);
    if (parts == null) return null;
    Route best = null;
    Map<String, String> bestVars = null;
    boolean pathExists = false;
    for (Route r : routes) {
      String[] segments = r.segments();
      Map<String, String> vars = matchPath(segments, parts);
      if (vars == null) continue;
      pathExists = true;
      if (!r.method().equals(method)) continue;
      if (best == null || moreSpecific(segments, best.segments())) {
        best = r;
        bestVars = vars;
      }
    }
    if (best != null) return new Match(best, bestVars);
    if (pathExists && methodMismatch != null && methodMismatch.length > 0) methodMismatch[0] = true;
    return null;
  }

  /** The decoded segments of a request path (one trailing slash ignored); null when it cannot match any route. */
  private static String[] parts(String path) {
    if (path == null || path.isEmpty()) path = "/";
    if (!path.startsWith("/")) return null;
    if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
    String[] raw = path.substring(1).split("/", -1);
    String[] parts = new String[raw.length];
    for (int i = 0; i < raw.length; i++) {
      parts[i] = decode(raw[i]);
      if (parts[i] == null) return null;
    }
    return parts;
  }

  private static boolean isVar(String segment) {
    return segment.length() >= 2 && segment.startsWith("{") && segment.endsWith("}");
  }

  /** Whether {@code a} has a literal at the leftmost position where one of the two has a literal and the other a var. */
  private static boolean moreSpecific(String[] a, String[] b) {
    for (int i = 0; i < a.length && i < b.length; i++) {
      boolean va = isVar(a[i]);
      boolean vb = isVar(b[i]);
      if (va != vb) return vb;
    }
    return false;
  }

  private static Map<String, String> matchPath(String[] pattern, String[] parts) {
    if (pattern.length != parts.length) return null;
    Map<String, String> vars = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (isVar(p)) {
        if (parts[i].isEmpty()) return null;
        vars.put(p.substring(1, p.length() - 1), parts[i]);
      } else if (!p.equals(parts[i])) {
        return null;
      }
    }
    return vars;
  }

  /** RFC 3986 percent-decoding of one path segment (UTF-8); null when an escape is malformed. */
  private static String decode(String s) {
    if (s.indexOf('%') < 0) return s;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b != '%') {
        out.write(b);
        continue;
      }
      if (i + 2 >= bytes.length) return null;
      int hi = Character.digit(bytes[i + 1], 16);
      int lo = Character.digit(bytes[i + 2], 16);
      if (hi < 0 || lo < 0) return null;
      out.write((hi << 4) | lo);
      i += 2;
    }
    java.nio.charset.CharsetDecoder dec = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
    try {
      return dec.decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }
}
