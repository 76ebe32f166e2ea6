package io.openvoice.geo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Minimal RFC 4180 reader for the operator-supplied geo CSV files: fields separated by commas, records by CRLF, LF
 * or CR; a field in double quotes may hold commas, line breaks and doubled quotes ({@code ""}). Additions to the RFC
 * for hand-edited files: a UTF-8 byte-order mark at the start is ignored, blank lines are skipped, and a line whose
 * first character is {@code #} (outside quotes) is a comment.
 *
 * <p>Errors are {@link IllegalArgumentException}s whose message starts with {@code "<source> line <n>: "}, where
 * {@code n} is the 1-based physical line on which the offending record starts.
 */
public final class CsvReader {
  /** One record: {@code line} is the 1-based physical line it starts on; {@code fields} as written (not trimmed). */
  public record Row(int line, List<String> fields) {}

  private static final int EOF = -1;

  private final BufferedReader in;
  private final String source;
  private int line = 1;
  private int peeked = Integer.MIN_VALUE; // MIN_VALUE = nothing peeked
  private boolean started;

  public CsvReader(Reader in, String source) {
    this.in = in instanceof BufferedReader b ? b : new BufferedReader(in);
    this.source = source;
  }

  /** The error-message prefix for a record starting on {@code line}. */
  public String where(int line) {
    return source + " line " + line;
  }

  /** The next record, or null at end of input. */
  public Row next() throws IOException {
    if (!started) {
      started = true;
      if (peek() == '\uFEFF') read();
    }
    // Skip blank lines and comment lines.
    while (true) {
      int c = peek();
      if (c == EOF) return null;
      if (c == '\n' || c == '\r') {
        readLineEnd();
      } else if (c == '#') {
        while (peek() != EOF && peek() != '\n' && peek() != '\r') read();
        if (peek() != EOF) readLineEnd();
      } else {
        break;
      }
    }
    int start = line;
    List<String> fields = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    while (true) {
      sb.setLength(0);
      int c = peek();
      if (c == '"') {
        read();
        int quoteLine = line;
        while (true) {
          c = read();
          if (c == EOF) {
            throw new IllegalArgumentException(where(start) + ": quoted field opened on line " + quoteLine
                + " is never closed");
          }
          if (c == '"') {
            if (peek() == '"') {
              read();
              sb.append('"');
            } else {
              break;
            }
          } else if (c == '\r' || c == '\n') {
            sb.append((char) c);
            if (c == '\r' && peek() == '\n') sb.append((char) read());
            line++;
          } else {
            sb.append((char) c);
          }
        }
        fields.add(sb.toString());
        c = peek();
        if (c == ',') {
          read();
          continue;
        }
        if (c == EOF || c == '\n' || c == '\r') {
          if (c != EOF) readLineEnd();
          return new Row(start, List.copyOf(fields));
        }
        throw new IllegalArgumentException(where(start) + ": unexpected '" + (char) c + "' after the closing quote of field "
            + fields.size() + " (quote the whole field and double any quote inside it)");
      }
      while (true) {
        c = peek();
        if (c == EOF || c == ',' || c == '\n' || c == '\r') break;
        if (c == '"') {
          throw new IllegalArgumentException(where(start) + ": quote inside unquoted field " + (fields.size() + 1)
              + " (quote the whole field and double any quote inside it)");
        }
        sb.append((char) read());
      }
      fields.add(sb.toString());
      if (c == ',') {
        read();
        continue;
      }
      if (c != EOF) readLineEnd();
      return new Row(start, List.copyOf(fields));
    }
  }

  private int peek() throws IOException {
    if (peeked == Integer.MIN_VALUE) peeked = in.read();
    return peeked;
  }

  private int read() throws IOException {
    int c = peek();
    peeked = Integer.MIN_VALUE;
    return c;
  }

  /** Consumes one line end (CRLF, LF or CR) and counts the line. */
  private void readLineEnd() throws IOException {
    int c = read();
    if (c == '\r' && peek() == '\n') read();
    line++;
  }
}
