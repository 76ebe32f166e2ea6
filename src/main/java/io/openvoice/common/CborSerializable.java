package io.openvoice.common;

/**
 * Marker for every message, event and state that crosses a node boundary or is written to the journal.
 * Bound to Jackson CBOR in {@code application.conf}; Java serialization is never used.
 */
public interface CborSerializable {}
