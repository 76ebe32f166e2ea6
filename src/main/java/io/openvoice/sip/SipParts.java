package io.openvoice.sip;

import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/** The JAIN-SIP objects every part of the edge sends with, and the edge's settings. */
record SipParts(SipProvider provider, MessageFactory messages, HeaderFactory headers, AddressFactory addresses,
                ContactHeader contact, SipSettings settings) {}
