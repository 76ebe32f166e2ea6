package io.openvoice.sms;

import io.openvoice.sms.gateway.SmsGateway.Coding;
import java.util.ArrayList;
import java.util.List;

/**
 * How a text travels as SMS (GSM 03.38 / 3GPP TS 23.038 and 23.040): in the GSM 7-bit default alphabet when every
 * character is in it or in its extension table (an extension character takes two septets: the escape and itself),
 * otherwise in UCS-2 (UTF-16 code units; a character outside the BMP is a surrogate pair, two units). One message
 * holds 160 septets or 70 units; a longer text is concatenated, each part holding 153 septets or 67 units (the user
 * data header takes the rest). A part never ends between an escape and its character nor inside a surrogate pair.
 * Pure and thread-safe.
 */
public final class Segmenter {
  private Segmenter() {}

  public static final int GSM7_SINGLE = 160;
  public static final int GSM7_PART = 153;
  public static final int UCS2_SINGLE = 70;
  public static final int UCS2_PART = 67;

  /** The default alphabet (position = septet value; 0x1B, the escape, is not a character of its own). */
  private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  /** The extension table's characters (each sent as escape + septet). */
  private static final String EXTENSION = "\f^{}\\[~]|€";

  /**
   * A segmented text: its coding, its length in septets (GSM-7) or code units (UCS-2), and its parts in order
   * (one part for a text that fits a single message; an empty text is one empty part).
   */
  public record Result(Coding coding, int units, List<String> parts) {
    public Result {
      parts = List.copyOf(parts);
    }

    public int count() {
      return parts.size();
    }
  }

  /** Septets of {@code c} in the default alphabet: 1 (basic), 2 (extension), 0 when it has none. */
  static int septets(char c) {
    if (c != '\u001B' && BASIC.indexOf(c) >= 0) return 1;
    if (EXTENSION.indexOf(c) >= 0) return 2;
    return 0;
  }

  /** Whether every character of {@code text} is in the default alphabet or its extension table. */
  public static boolean isGsm7(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (septets(text.charAt(i)) == 0) return false;
    }
    return true;
  }

  public static Coding coding(String text) {
    return isGsm7(text) ? Coding.GSM7 : Coding.UCS2;
  }

  public static Result segment(String text) {
    return isGsm7(text) ? gsm7(text) : ucs2(text);
  }

  private static Result gsm7(String text) {
    int total = 0;
    for (int i = 0; i < text.length(); i++) total += septets(text.charAt(i));
    if (total <= GSM7_SINGLE) return new Result(Coding.GSM7, total, List.of(text));
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int used = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int n = septets(c);
      if (used + n > GSM7_PART) { // an escape pair that does not fit goes whole to the next part
        parts.add(cur.toString());
        cur.setLength(0);
        used = 0;
      }
      cur.append(c);
      used += n;
    }
    parts.add(cur.toString());
    return new Result(Coding.GSM7, total, parts);
  }

  private static Result ucs2(String text) {
    int total = text.length();
    if (total <= UCS2_SINGLE) return new Result(Coding.UCS2, total, List.of(text));
    List<String> parts = new ArrayList<>();
    int start = 0;
    while (start < total) {
      int end = Math.min(total, start + UCS2_PART);
      // never between the halves of a surrogate pair
      if (end < total && Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
        end--;
      }
      parts.add(text.substring(start, end));
      start = end;
    }
    return new Result(Coding.UCS2, total, parts);
  }
}
