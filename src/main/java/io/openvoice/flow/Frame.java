package io.openvoice.flow;

import io.openvoice.xml.Node;
import io.openvoice.xml.Verb;
import java.util.List;

/**
 * One level of the interpreter's stack: a sequence of nodes, the index of the next one to run, and what to do
 * when the sequence is exhausted.
 */
final class Frame {

  /** What happens when the sequence ends. */
  enum End {
    /** The document itself: the call is hung up ("flow_completed"). */
    TOP,
    /** A block inside a verb (condition body, Gather branch, Default, Error handler): continue after it. */
    BLOCK,
    /** A {@code <Record>} body: stop the recording, then continue after the Record. */
    RECORD
  }

  final List<Node> nodes;
  final End end;
  /** The verb whose FINISHED event is emitted when the sequence ends, or null (the event was emitted already). */
  final Verb owner;
  /** For {@link End#RECORD}: the recording to stop. */
  final String recordTag;
  int next;

  private Frame(List<Node> nodes, End end, Verb owner, String recordTag) {
    this.nodes = nodes;
    this.end = end;
    this.owner = owner;
    this.recordTag = recordTag;
  }

  static Frame top(List<Node> nodes) {
    return new Frame(nodes, End.TOP, null, null);
  }

  static Frame block(List<Node> nodes, Verb owner) {
    return new Frame(nodes, End.BLOCK, owner, null);
  }

  static Frame record(List<Node> nodes, Verb.Record owner, String tag) {
    return new Frame(nodes, End.RECORD, owner, tag);
  }

  boolean exhausted() {
    return next >= nodes.size();
  }

  /** The node after the one being run (the candidate sibling {@code <Error>}), or null. */
  Node following() {
    return next < nodes.size() ? nodes.get(next) : null;
  }
}
