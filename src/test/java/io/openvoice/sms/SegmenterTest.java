package io.openvoice.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.sms.gateway.SmsGateway.Coding;
import org.junit.jupiter.api.Test;

class SegmenterTest {

  @Test
  void plainAsciiAndTheGsmLettersAreGsm7() {
    assertTrue(Segmenter.isGsm7("Hello, world! 123 @£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r"));
    assertEquals(Coding.GSM7, Segmenter.segment("hi").coding());
  }

  @Test
  void oneCharacterOutsideTheAlphabetMakesTheWholeTextUcs2() {
    assertFalse(Segmenter.isGsm7("price: 5 ₽"));
    assertFalse(Segmenter.isGsm7("emoji 😀"));
    assertFalse(Segmenter.isGsm7("ç lower-case c cedilla is not in the alphabet"));
    assertFalse(Segmenter.isGsm7("a bare escape \u001B is not text"));
    assertEquals(Coding.UCS2, Segmenter.segment("привет").coding());
  }

  @Test
  void extensionCharactersCountTwoSeptets() {
    Segmenter.Result r = Segmenter.segment("{}[]~^|\\€\f");
    assertEquals(Coding.GSM7, r.coding());
    assertEquals(20, r.units());
    assertEquals(1, r.count());
  }

  @Test
  void aGsm7TextOf160SeptetsIsOnePartAnd161AreTwo() {
    assertEquals(1, Segmenter.segment("a".repeat(160)).count());
    Segmenter.Result two = Segmenter.segment("a".repeat(161));
    assertEquals(2, two.count());
    assertEquals(153, two.parts().get(0).length());
    assertEquals(8, two.parts().get(1).length());
    assertEquals(3, Segmenter.segment("a".repeat(307)).count());
    assertEquals(2, Segmenter.segment("a".repeat(306)).count());
  }

  @Test
  void extensionCharactersCanPushATextOverOnePart() {
    assertEquals(1, Segmenter.segment("a".repeat(158) + "€").count());
    assertEquals(2, Segmenter.segment("a".repeat(159) + "€").count());
  }

  @Test
  void anEscapePairIsNeverSplitAcrossParts() {
    String text = "a".repeat(152) + "€" + "b".repeat(20); // the euro would need septets 153 and 154
    Segmenter.Result r = Segmenter.segment(text);
    assertEquals(2, r.count());
    assertEquals("a".repeat(152), r.parts().get(0));
    assertEquals("€" + "b".repeat(20), r.parts().get(1));
    assertEquals(text, String.join("", r.parts()));
  }

  @Test
  void aUcs2TextOf70UnitsIsOnePartAnd71AreTwoOf67() {
    assertEquals(1, Segmenter.segment("ж".repeat(70)).count());
    Segmenter.Result two = Segmenter.segment("ж".repeat(71));
    assertEquals(2, two.count());
    assertEquals(67, two.parts().get(0).length());
    assertEquals(4, two.parts().get(1).length());
    assertEquals(3, Segmenter.segment("ж".repeat(135)).count());
  }

  @Test
  void aSurrogatePairCountsTwoUnitsAndIsNeverSplit() {
    assertEquals(2, Segmenter.segment("😀").units());
    String text = "ж".repeat(66) + "😀" + "ж".repeat(10); // the emoji would take units 67 and 68
    Segmenter.Result r = Segmenter.segment(text);
    assertEquals(2, r.count());
    assertEquals(66, r.parts().get(0).length());
    assertTrue(r.parts().get(1).startsWith("😀"));
    assertEquals(text, String.join("", r.parts()));
    for (String part : r.parts()) {
      assertFalse(Character.isHighSurrogate(part.charAt(part.length() - 1)), part);
    }
  }

  @Test
  void theLongestMessageSplitsIntoSixGsmOrFourteenUcs2Parts() {
    assertEquals(6, Segmenter.segment("x".repeat(918)).count());
    assertEquals(14, Segmenter.segment("ж".repeat(918)).count());
  }

  @Test
  void anEmptyTextIsOneEmptyPart() {
    Segmenter.Result r = Segmenter.segment("");
    assertEquals(1, r.count());
    assertEquals(0, r.units());
  }
}
