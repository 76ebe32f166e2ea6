package io.openvoice.xml;

/**
 * {@code <Meta name="x" value="y"/>} or {@code <Meta name="x">text</Meta>}: a user variable. The value is typed:
 * {@link Long}, {@link Double}, {@link Boolean} or {@link String} (the parser infers the type from the text).
 */
public record Meta(Src src, String name, Object value) implements Node {}
