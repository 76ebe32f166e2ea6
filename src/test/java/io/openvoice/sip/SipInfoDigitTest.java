package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The digit of a SIP INFO body, in both forms phones send it. */
class SipInfoDigitTest {
  @Test
  void dtmfRelayBodiesGiveTheirSignal() {
    assertEquals('5', SipEdge.infoDigit("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n"));
    assertEquals('#', SipEdge.infoDigit("application/dtmf-relay", "Signal= #\nDuration=100"));
    assertEquals('A', SipEdge.infoDigit("application/dtmf-relay", "Signal=a"));
  }

  @Test
  void plainDtmfBodiesAreTheDigitItself() {
    assertEquals('*', SipEdge.infoDigit("application/dtmf", "*\r\n"));
  }

  @Test
  void anythingElseIsNoDigit() {
    assertNull(SipEdge.infoDigit("application/dtmf-relay", "Duration=160"));
    assertNull(SipEdge.infoDigit("application/dtmf-relay", "Signal=55"));
    assertNull(SipEdge.infoDigit("application/dtmf", "x"));
    assertNull(SipEdge.infoDigit("text/plain", "5"));
  }
}
