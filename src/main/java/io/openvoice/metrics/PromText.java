package io.openvoice.metrics;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: each family once, as {@code # HELP} and
 * {@code # TYPE} lines followed by its samples; label values escaped ({@code \\}, {@code \"}, {@code \n}), HELP
 * text too ({@code \\}, {@code \n}). Names are checked, so a typo fails at once instead of making a scrape
 * unparsable.
 */
public final class PromText {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder(16 * 1024);
  private final Set<String> families = new HashSet<>();
  private String family;
  private String type;

  /** Starts family {@code name} of {@code type} (counter, gauge, histogram, untyped). */
  public PromText family(String name, String type, String help) {
    checkName(name, true);
    if (!Set.of("counter", "gauge", "histogram", "summary", "untyped").contains(type)) {
      throw new IllegalArgumentException("unknown metric type " + type);
    }
    if (!families.add(name)) throw new IllegalArgumentException("metric family " + name + " written twice");
    out.append("# HELP ").append(name).append(' ');
    escapeHelp(help, out);
    out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    family = name;
    this.type = type;
    return this;
  }

  public PromText counter(String name, String help) {
    return family(name, "counter", help);
  }

  public PromText gauge(String name, String help) {
    return family(name, "gauge", help);
  }

  public PromText histogram(String name, String help) {
    return family(name, "histogram", help);
  }

  /** A sample of the current family; {@code labels}: name, value, name, value... */
  public PromText sample(double value, String... labels) {
    return line(family, labels, null, number(value));
  }

  public PromText sample(long value, String... labels) {
    return line(family, labels, null, Long.toString(value));
  }

  /** The {@code _bucket}, {@code _sum} and {@code _count} lines of one histogram of the current family. */
  public PromText sample(Histogram.Snapshot h, String... labels) {
    if (!"histogram".equals(type)) throw new IllegalStateException(family + " is not a histogram");
    double[] bounds = h.bounds();
    long[] cumulative = h.cumulative();
    for (int i = 0; i < cumulative.length; i++) {
      String le = i < bounds.length ? number(bounds[i]) : "+Inf";
      line(family + "_bucket", labels, le, Long.toString(cumulative[i]));
    }
    line(family + "_sum", labels, null, number(h.sumSeconds()));
    line(family + "_count", labels, null, Long.toString(h.count()));
    return this;
  }

  public String text() {
    return out.toString();
  }

  private PromText line(String name, String[] labels, String le, String value) {
    if (family == null) throw new IllegalStateException("a sample before any family");
    if (labels.length % 2 != 0) throw new IllegalArgumentException("labels come in name, value pairs");
    out.append(name);
    if (labels.length > 0 || le != null) {
      out.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        checkName(labels[i], false);
        if (i > 0) out.append(',');
        out.append(labels[i]).append("=\"");
        escapeLabel(labels[i + 1], out);
        out.append('"');
      }
      if (le != null) out.append(labels.length > 0 ? "," : "").append("le=\"").append(le).append('"');
      out.append('}');
    }
    out.append(' ').append(value).append('\n');
    return this;
  }

  /**
   * A value as Prometheus reads it: integers without a fraction, others in plain decimal (0.005, 2.5), and
   * {@code +Inf}, {@code -Inf}, {@code NaN}.
   */
  public static String number(double v) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
    if (v == 0) return "0"; // also -0.0
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /** A label value: backslash, double quote and line feed escaped. A null value is empty. */
  public static void escapeLabel(String v, StringBuilder to) {
    if (v == null) return;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> to.append("\\\\");
        case '"' -> to.append("\\\"");
        case '\n' -> to.append("\\n");
        default -> to.append(c);
      }
    }
  }

  /** HELP text: backslash and line feed escaped. */
  public static void escapeHelp(String v, StringBuilder to) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> to.append("\\\\");
        case '\n' -> to.append("\\n");
        default -> to.append(c);
      }
    }
  }

  private static void checkName(String name, boolean metric) {
    boolean ok = !name.isEmpty();
    for (int i = 0; ok && i < name.length(); i++) {
      char c = name.charAt(i);
      ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (metric && c == ':')
          || (i > 0 && c >= '0' && c <= '9');
    }
    if (!ok || (!metric && name.startsWith("__")) || (!metric && name.equals("le"))) {
      throw new IllegalArgumentException("not a valid " + (metric ? "metric" : "label") + " name: " + name);
    }
  }
}
