package io.openvoice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static final Router.Handler H = req -> null;

  private static Router.Match match(Router r, String method, String path) {
    return r.match(method, path, new boolean[1]);
  }

  private static String describe(Router.Match m) {
    return m == null ? null : m.route().method() + " " + m.route().pattern();
  }

  @Test
  void literalSegmentWinsOverPathVariableWhenAddedFirst() {
    Router r = new Router().add("GET", "/rest/account/user", H).add("GET", "/rest/account/{uuid}", H);
    Router.Match m = match(r, "GET", "/rest/account/user");
    assertEquals("GET /rest/account/user", describe(m));
    assertEquals(Map.of(), m.vars());
  }

  @Test
  void literalSegmentWinsOverPathVariableWhenAddedAfterIt() {
    Router r = new Router().add("DELETE", "/rest/token/{token}", H).add("DELETE", "/rest/token/all", H);
    assertEquals("DELETE /rest/token/all", describe(match(r, "DELETE", "/rest/token/all")));
    assertEquals("DELETE /rest/token/{token}", describe(match(r, "DELETE", "/rest/token/abc")));
  }

  @Test
  void leftmostLiteralDecidesBetweenTwoPatterns() {
    Router r = new Router()
        .add("POST", "/rest/sip/app/{uuid}/simulate", H)
        .add("POST", "/rest/sip/app/call/{uuid}", H);
    Router.Match m = match(r, "POST", "/rest/sip/app/call/simulate");
    assertEquals("POST /rest/sip/app/call/{uuid}", describe(m));
    assertEquals(Map.of("uuid", "simulate"), m.vars());
    Router.Match other = match(r, "POST", "/rest/sip/app/abc/simulate");
    assertEquals("POST /rest/sip/app/{uuid}/simulate", describe(other));
    assertEquals(Map.of("uuid", "abc"), other.vars());
  }

  @Test
  void equallySpecificRoutesResolveToTheFirstAdded() {
    Router r = new Router().add("GET", "/a/{x}", H).add("GET", "/a/{y}", H);
    Router.Match m = match(r, "GET", "/a/1");
    assertEquals("GET /a/{x}", describe(m));
    assertEquals(Map.of("x", "1"), m.vars());
  }

  @Test
  void methodSelectsBetweenRoutesOnTheSamePath() {
    Router r = new Router()
        .add("GET", "/rest/sip/app/{uuid}", H)
        .add("PATCH", "/rest/sip/app/{uuid}", H)
        .add("DELETE", "/rest/sip/app/{uuid}", H);
    assertEquals("PATCH /rest/sip/app/{uuid}", describe(match(r, "PATCH", "/rest/sip/app/x")));
    assertEquals("DELETE /rest/sip/app/{uuid}", describe(match(r, "DELETE", "/rest/sip/app/x")));
    assertEquals("GET /rest/sip/app/{uuid}", describe(match(r, "GET", "/rest/sip/app/x")));
  }

  @Test
  void methodIsMatchedCaseSensitively() {
    Router r = new Router().add("GET", "/health", H);
    boolean[] mismatch = {false};
    assertNull(r.match("get", "/health", mismatch));
    assertTrue(mismatch[0]);
  }

  @Test
  void knownPathWithOtherMethodReportsMethodMismatch() {
    Router r = new Router().add("GET", "/rest/sip/app", H).add("POST", "/rest/sip/app", H);
    boolean[] mismatch = {false};
    assertNull(r.match("DELETE", "/rest/sip/app", mismatch));
    assertTrue(mismatch[0], "405: the path exists with other methods");
  }

  @Test
  void unknownPathIsNotFoundWithoutMethodMismatch() {
    Router r = new Router().add("GET", "/rest/sip/app", H);
    boolean[] mismatch = {false};
    assertNull(r.match("GET", "/rest/nothing/here", mismatch));
    assertFalse(mismatch[0], "404: no route has this path");
  }

  @Test
  void matchingRouteDoesNotReportMethodMismatchEvenIfAnotherRouteHasTheWrongMethod() {
    Router r = new Router().add("GET", "/rest/account/user", H).add("POST", "/rest/account/{uuid}", H);
    boolean[] mismatch = {false};
    Router.Match m = r.match("POST", "/rest/account/user", mismatch);
    assertEquals("POST /rest/account/{uuid}", describe(m));
    assertEquals(Map.of("uuid", "user"), m.vars());
    assertFalse(mismatch[0]);
  }

  @Test
  void pathVariablesAreExtractedByName() {
    Router r = new Router().add("POST", "/rest/profile/tn/{id}/blacklist", H).add("GET", "/x/{a}/y/{b}", H);
    assertEquals(Map.of("id", "abc-123"), match(r, "POST", "/rest/profile/tn/abc-123/blacklist").vars());
    assertEquals(Map.of("a", "1", "b", "2"), match(r, "GET", "/x/1/y/2").vars());
  }

  @Test
  void pathVariableDoesNotMatchAnEmptySegment() {
    Router r = new Router().add("GET", "/rest/sip/app/{uuid}/tnlease", H);
    assertNull(match(r, "GET", "/rest/sip/app//tnlease"));
  }

  @Test
  void segmentCountMustBeEqual() {
    Router r = new Router().add("GET", "/rest/sip/app/{uuid}", H);
    assertNull(match(r, "GET", "/rest/sip/app"));
    assertNull(match(r, "GET", "/rest/sip/app/x/y"));
  }

  @Test
  void oneTrailingSlashIsIgnored() {
    Router r = new Router().add("GET", "/rest/sip/app", H).add("GET", "/rest/sip/app/{uuid}", H);
    assertEquals("GET /rest/sip/app", describe(match(r, "GET", "/rest/sip/app/")));
    Router.Match m = match(r, "GET", "/rest/sip/app/abc/");
    assertEquals("GET /rest/sip/app/{uuid}", describe(m));
    assertEquals(Map.of("uuid", "abc"), m.vars());
  }

  @Test
  void repeatedTrailingSlashesAreNotIgnored() {
    Router r = new Router().add("GET", "/rest/sip/app", H).add("GET", "/rest/sip/app/{uuid}", H);
    assertNull(match(r, "GET", "/rest/sip/app//"));
    assertNull(match(r, "GET", "/rest/sip/app///"));
  }

  @Test
  void emptySegmentInTheMiddleDoesNotMatchALiteralPath() {
    Router r = new Router().add("GET", "/rest/sip/app", H);
    assertNull(match(r, "GET", "/rest//sip/app"));
  }

  @Test
  void rootPathMatchesOnlyTheRootRoute() {
    Router r = new Router().add("GET", "/", H).add("GET", "/health", H);
    assertEquals("GET /", describe(match(r, "GET", "/")));
    assertEquals("GET /health", describe(match(r, "GET", "/health/")));
  }

  @Test
  void emptyPathIsTreatedAsRootInsteadOfThrowing() {
    Router r = new Router().add("GET", "/health", H);
    boolean[] mismatch = {false};
    assertNull(r.match("GET", "", mismatch));
    assertFalse(mismatch[0]);
    Router root = new Router().add("GET", "/", H);
    assertEquals("GET /", describe(match(root, "GET", "")));
  }

  @Test
  void pathWithoutLeadingSlashMatchesNothing() {
    Router r = new Router().add("OPTIONS", "/", H).add("GET", "/health", H);
    assertNull(match(r, "OPTIONS", "*"));
    assertNull(match(r, "GET", "health"));
  }

  @Test
  void percentEncodedPathVariableIsDecoded() {
    Router r = new Router().add("GET", "/rest/token/{token}", H);
    assertEquals("a/b", match(r, "GET", "/rest/token/a%2Fb").vars().get("token"));
    assertEquals("a b", match(r, "GET", "/rest/token/a%20b").vars().get("token"));
    assertEquals("café", match(r, "GET", "/rest/token/caf%C3%A9").vars().get("token"));
  }

  @Test
  void plusInAPathVariableStaysAPlus() {
    Router r = new Router().add("GET", "/rest/lease/tn/{id}", H);
    assertEquals("+18005551234", match(r, "GET", "/rest/lease/tn/+18005551234").vars().get("id"));
    assertEquals("+18005551234", match(r, "GET", "/rest/lease/tn/%2B18005551234").vars().get("id"));
  }

  @Test
  void encodedSlashDoesNotSplitASegment() {
    Router r = new Router().add("GET", "/rest/token/{token}", H).add("GET", "/rest/token/{a}/{b}", H);
    Router.Match m = match(r, "GET", "/rest/token/x%2Fy");
    assertEquals("GET /rest/token/{token}", describe(m));
    assertEquals(Map.of("token", "x/y"), m.vars());
  }

  @Test
  void percentEncodedLiteralSegmentMatchesTheLiteralRoute() {
    Router r = new Router().add("GET", "/rest/account/{uuid}", H).add("GET", "/rest/account/user", H);
    assertEquals("GET /rest/account/user", describe(match(r, "GET", "/rest/account/%75ser")));
  }

  @Test
  void malformedPercentEscapeMatchesNothingInsteadOfThrowing() {
    Router r = new Router().add("GET", "/rest/token/{token}", H);
    for (String path : List.of("/rest/token/%zz", "/rest/token/abc%", "/rest/token/abc%4", "/rest/token/%C3")) {
      boolean[] mismatch = {false};
      assertNull(r.match("GET", path, mismatch), path);
      assertFalse(mismatch[0], path);
    }
  }

  @Test
  void publicAndAuthenticatedRoutesAreRecorded() {
    Router r = new Router().addPublic("GET", "/health", H).add("GET", "/rest/auth", H);
    List<Router.Route> routes = r.routes();
    assertEquals(2, routes.size());
    assertFalse(routes.get(0).auth());
    assertTrue(routes.get(1).auth());
    assertFalse(match(r, "GET", "/health").route().auth());
    assertTrue(match(r, "GET", "/rest/auth").route().auth());
  }

  @Test
  void routesListIsAnUnmodifiableSnapshot() {
    Router r = new Router().add("GET", "/a", H);
    List<Router.Route> before = r.routes();
    r.add("GET", "/b", H);
    assertEquals(1, before.size());
    assertEquals(2, r.routes().size());
    assertThrows(UnsupportedOperationException.class, () -> before.add(null));
  }

  @Test
  void matchedRouteCarriesItsHandler() throws Exception {
    Router.Handler h = req -> java.util.concurrent.CompletableFuture.completedFuture(Reply.ok(Map.of("k", "v")));
    Router r = new Router().add("GET", "/a", H).add("GET", "/b", h);
    Router.Match m = match(r, "GET", "/b");
    assertNotNull(m);
    assertEquals(h, m.route().handler());
  }
}
