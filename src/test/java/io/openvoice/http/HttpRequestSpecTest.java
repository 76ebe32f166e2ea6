package io.openvoice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.openvoice.http.HttpRequestSpec.Method;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRequestSpecTest {

  private static String merged(String url, Map<String, String> query) {
    return HttpRequestSpec.get(url).withQuery(query).toUri().toString();
  }

  @Test
  void queryIsAppendedAfterTheExistingQueryInOrder() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("b", "2");
    q.put("a", "1");
    assertEquals("http://h.test/p?x=%2F&y&b=2&a=1", merged("http://h.test/p?x=%2F&y", q));
    assertEquals("http://h.test/p?b=2&a=1", merged("http://h.test/p", q));
    assertEquals("http://h.test/p?b=2&a=1", merged("http://h.test/p?", q));
    assertEquals("http://h.test/p?x=1&b=2&a=1", merged("http://h.test/p?x=1&", q));
    assertEquals("http://h.test?b=2&a=1", merged("http://h.test", q));
  }

  @Test
  void keysAndValuesArePercentEncodedAsUtf8() {
    assertEquals("http://h.test/?a%20b=c%2Bd%26e%3Df%23g&%C3%BC=%E2%82%AC-._~",
        merged("http://h.test/", ordered("a b", "c+d&e=f#g", "ü", "€-._~")));
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void withoutQueryTheUrlIsKeptAndTheFragmentDropped() {
    assertEquals("https://u:p@h.test:8443/a%20b?x=1", merged("https://u:p@h.test:8443/a%20b?x=1#frag", Map.of()));
    assertEquals("http://h.test/%C3%A9", merged("http://h.test/é", Map.of()));
  }

  @Test
  void invalidUrlIsBadUrl() {
    FetchException e = assertThrows(FetchException.class, () -> HttpRequestSpec.get("http://a b/").toUri());
    assertEquals(FetchException.Kind.BAD_URL, e.kind());
  }

  @Test
  void defaultsAndContentType() {
    HttpRequestSpec s = new HttpRequestSpec(Method.POST, "http://h.test/", null, "{}", null, null, null);
    assertEquals(Map.of(), s.query());
    assertEquals(Map.of(), s.headers());
    assertNull(s.timeout());
    assertEquals("application/json", s.effectiveContentType());
    assertNull(HttpRequestSpec.get("http://h.test/").effectiveContentType());
    assertEquals("text/xml", HttpRequestSpec.get("http://h.test/").withBody("<a/>", null)
        .withHeader("content-type", "text/xml").effectiveContentType());
    assertThrows(IllegalArgumentException.class, () -> HttpRequestSpec.get("http://h.test/").withTimeout(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> HttpRequestSpec.get(null));
  }
}
