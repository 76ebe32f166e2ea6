package io.openvoice.xml;

import java.util.Arrays;
import javax.xml.stream.Location;

/**
 * Maps between character offsets in the document and the 1-based line/column pairs StAX reports. Line breaks are
 * CR LF, CR or LF, as the XML parser counts them.
 */
final class LineIndex {
  private final String doc;
  private final int[] starts;

  LineIndex(String doc) {
    this.doc = doc;
    int[] s = new int[16];
    int n = 0;
    s[n++] = 0;
    for (int i = 0; i < doc.length(); i++) {
      char c = doc.charAt(i);
      int next = -1;
      if (c == '\n') {
        next = i + 1;
      } else if (c == '\r') {
        if (i + 1 < doc.length() && doc.charAt(i + 1) == '\n') i++;
        next = i + 1;
      }
      if (next >= 0) {
        if (n == s.length) s = Arrays.copyOf(s, n * 2);
        s[n++] = next;
      }
    }
    this.starts = Arrays.copyOf(s, n);
  }

  /** The offset StAX's location stands for (the character after the event), clamped to the document. */
  int offset(Location loc) {
    if (loc == null || loc.getLineNumber() < 1) return doc.length();
    int line = Math.min(loc.getLineNumber(), starts.length);
    int off = starts[line - 1] + Math.max(loc.getColumnNumber(), 1) - 1;
    return Math.max(0, Math.min(off, doc.length()));
  }

  int line(int offset) {
    int i = Arrays.binarySearch(starts, offset);
    return i >= 0 ? i + 1 : -i - 1;
  }

  int column(int offset) {
    return offset - starts[line(offset) - 1] + 1;
  }

  /** The last offset before {@code end} holding {@code c}, not before {@code floor}; {@code floor} when none. */
  int lastIndexOf(char c, int end, int floor) {
    for (int i = Math.min(end, doc.length()) - 1; i >= floor; i--) {
      if (doc.charAt(i) == c) return i;
    }
    return Math.max(floor, 0);
  }

  /** The first offset at or after {@code from} that is not XML whitespace; {@code from} when none. */
  int skipWhitespace(int from) {
    for (int i = from; i < doc.length(); i++) {
      char c = doc.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return i;
    }
    return from;
  }
}
