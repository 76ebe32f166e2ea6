package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpTest {
  static final String SIPP_OFFER = """
      v=0\r
      o=sipp 53655765 2353687637 IN IP4 127.0.0.1\r
      s=-\r
      c=IN IP4 127.0.0.1\r
      t=0 0\r
      m=audio 6000 RTP/AVP 8 0 101\r
      a=rtpmap:8 PCMA/8000\r
      a=rtpmap:0 PCMU/8000\r
      a=rtpmap:101 telephone-event/8000\r
      a=fmtp:101 0-15\r
      """;

  @Test
  void anAudioOfferGivesAddressPortPayloadTypesInOrderAndTelephoneEvent() {
    Sdp.Media m = Sdp.parseAudio(SIPP_OFFER);
    assertEquals("127.0.0.1", m.address());
    assertEquals(6000, m.port());
    assertEquals(List.of(8, 0, 101), m.payloadTypes());
    assertEquals(101, m.telephoneEvent());
    assertEquals("PCMA", m.encoding(8));
    assertEquals("sendrecv", m.direction());
  }

  @Test
  void mediaLevelConnectionAndDirectionWinOverSessionLevel() {
    Sdp.Media m = Sdp.parseAudio("""
        v=0
        c=IN IP4 10.0.0.1
        a=sendrecv
        m=audio 5004 RTP/AVP 0
        c=IN IP4 10.0.0.2
        a=sendonly
        """);
    assertEquals("10.0.0.2", m.address());
    assertEquals("sendonly", m.direction());
    assertTrue(m.onHold());
    assertEquals(-1, m.telephoneEvent());
    assertEquals("PCMU", m.encoding(0), "static payload type without rtpmap");
  }

  @Test
  void theFirstAudioStreamIsTakenEvenAfterAVideoOne() {
    Sdp.Media m = Sdp.parseAudio("v=0\nc=IN IP4 10.0.0.1\nm=video 7000 RTP/AVP 96\nm=audio 5004 RTP/AVP 8\nm=audio 6004 RTP/AVP 0\n");
    assertEquals(5004, m.port());
    assertEquals(List.of(8), m.payloadTypes());
  }

  @Test
  void offersWithoutAudioOrAddressOrWithGarbageAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Sdp.parseAudio(null));
    assertThrows(IllegalArgumentException.class, () -> Sdp.parseAudio("v=0\nc=IN IP4 1.2.3.4\nm=video 1 RTP/AVP 96\n"));
    assertThrows(IllegalArgumentException.class, () -> Sdp.parseAudio("v=0\nm=audio 5004 RTP/AVP 0\n"));
    assertThrows(IllegalArgumentException.class, () -> Sdp.parseAudio("v=0\nc=IN IP4 1.2.3.4\nm=audio port RTP/AVP 0\n"));
  }

  @Test
  void ourAnswerNamesTheChosenCodecTelephoneEventAndPtimeAndParsesBack() {
    String sdp = Sdp.audio("192.0.2.10", 20002, 1, 1, 8, 101, Sdp.answerDirection("sendonly"));
    assertTrue(sdp.contains("m=audio 20002 RTP/AVP 8 101\r\n"), sdp);
    assertTrue(sdp.contains("a=ptime:20\r\n") && sdp.contains("a=recvonly\r\n"), sdp);
    Sdp.Media back = Sdp.parseAudio(sdp);
    assertEquals("192.0.2.10", back.address());
    assertEquals(101, back.telephoneEvent());
    assertEquals("PCMA", back.encoding(8));
  }

  @Test
  void causesMapToSipStatusesAndBack() {
    assertEquals(486, SipCauses.statusFor(17));
    assertEquals(404, SipCauses.statusFor(1));
    assertEquals(603, SipCauses.statusFor(21));
    assertEquals(17, SipCauses.causeFor(486));
    assertEquals(487, SipCauses.causeFor(487));
    assertEquals(19, SipCauses.causeFor(480));
  }
}
