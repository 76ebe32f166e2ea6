package io.openvoice.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SmsNumbersTest {
  @Test
  void tenDigitsAreNanpAndEveryWayOfWritingANumberGivesTheSameE164Digits() {
    assertEquals("12125550161", SmsNumbers.e164("2125550161"));
    assertEquals("12125550161", SmsNumbers.e164("(212) 555-0161"));
    assertEquals("12125550161", SmsNumbers.e164("+1 212.555.0161"));
    assertEquals("447700900123", SmsNumbers.e164("+44 7700 900123"));
    assertEquals("22395", SmsNumbers.e164("22395"), "a short code stays as it is");
    assertNull(SmsNumbers.e164("12ab"));
    assertEquals(SmsNumbers.thread("19735550126", SmsNumbers.e164("2125550161")),
        SmsNumbers.thread("19735550126", SmsNumbers.e164("+12125550161")));
  }
}
