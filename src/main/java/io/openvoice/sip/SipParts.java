package io.openvoice.sip;

import java.util.Map;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/**
 * The JAIN-SIP objects every part of the edge sends with, the edge's settings, and our Contact for each transport
 * we listen on.
 */
record SipParts(SipProvider provider, MessageFactory messages, HeaderFactory headers, AddressFactory addresses,
                Map<String, ContactHeader> contacts, SipSettings settings) {

  /** Our Contact for a dialog on {@code transport} (the first listening transport's when we do not listen on it). */
  ContactHeader contact(String transport) {
    ContactHeader c = contacts.get(transport == null ? "udp" : transport.toLowerCase(java.util.Locale.ROOT));
    return c != null ? c : contacts.get(settings.transports().get(0));
  }
}
