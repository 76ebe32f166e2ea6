package io.openvoice.xml;

/** One item of a call-flow sequence: an executable verb, a sibling {@code <Error>} block, or a {@code <Meta>}. */
public sealed interface Node permits Verb, Block, Meta {
  Src src();
}
