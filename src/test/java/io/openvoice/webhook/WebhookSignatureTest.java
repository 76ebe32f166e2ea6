package io.openvoice.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  static final String SECRET = "5f0c6a9b2d3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccdd";

  @Test
  void signatureIsHexHmacSha256OfTimestampDotBodyWithTheSecret() throws Exception {
    String body = "{\"type\":\"call_state\"}";
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = HexFormat.of().formatHex(mac.doFinal(("1700000000." + body).getBytes(StandardCharsets.UTF_8)));
    assertEquals("t=1700000000,v1=" + expected, WebhookSignature.header(SECRET, 1_700_000_000L, body));
  }

  @Test
  void aVectorComputedWithOpensslMatches() {
    // printf '%s' '1700000000.{"type":"call_state"}' | openssl dgst -sha256 -hmac 'whsec-test'
    assertEquals("b15fae35f0ba8715618efeead23ff97c65f498149b43a4bb0903cc1b69149b55",
        WebhookSignature.hmac("whsec-test", 1_700_000_000L, "{\"type\":\"call_state\"}"));
  }

  @Test
  void verifyAcceptsTheRightSecretAndBodyAndRejectsAnyChange() {
    String body = "{\"a\":1}";
    String h = WebhookSignature.header(SECRET, 1000, body);
    assertTrue(WebhookSignature.verify(h, SECRET, body, 1010, 300));
    assertFalse(WebhookSignature.verify(h, SECRET, body + " ", 1010, 300), "another body");
    assertFalse(WebhookSignature.verify(h, SECRET.replace('5', '6'), body, 1010, 300), "another secret");
    assertFalse(WebhookSignature.verify(h.replace("t=1000", "t=1001"), SECRET, body, 1010, 300), "another time");
    assertFalse(WebhookSignature.verify(h, SECRET, body, 2000, 300), "too old: a replay");
    assertFalse(WebhookSignature.verify(null, SECRET, body, 1000, 300));
    assertFalse(WebhookSignature.verify("garbage", SECRET, body, 1000, 300));
  }

  @Test
  void getRequestsSignTheQueryStringAsSentAndPostRequestsTheBody() {
    var ev = new WebhookRequests.Event("e-1", "call_state", "c-1", "live", "+12015550123", "12025550100", "{\"x\":1}");
    var get = WebhookRequests.build("GET", "http://h.example/hook?app=7#frag", Duration.ofSeconds(3), SECRET, 42, ev);
    assertEquals("http://h.example/hook?app=7&state=live&from=%2B12015550123&to=12025550100&type=call_state&call=c-1&event=e-1",
        get.request().url());
    assertEquals("app=7&state=live&from=%2B12015550123&to=12025550100&type=call_state&call=c-1&event=e-1",
        get.signedPayload());
    assertTrue(WebhookSignature.verify(get.request().headers().get(WebhookSignature.HEADER), SECRET,
        get.signedPayload(), 42, 1));
    assertEquals(null, get.request().body());

    var post = WebhookRequests.build("POST", "http://h.example/hook", Duration.ofSeconds(3), SECRET, 42, ev);
    assertEquals("{\"x\":1}", post.request().body());
    assertEquals("application/json", post.request().contentType());
    assertEquals("e-1", post.request().headers().get("X-Opentact-Event-Id"));
    assertEquals("e-1", post.request().headers().get("Idempotency-Key"));
    assertTrue(WebhookSignature.verify(post.request().headers().get(WebhookSignature.HEADER), SECRET, "{\"x\":1}", 42, 1));
  }
}
