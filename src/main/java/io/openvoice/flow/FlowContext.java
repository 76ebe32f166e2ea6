package io.openvoice.flow;

import io.openvoice.geo.GeoLookup;
import java.time.ZoneId;

/**
 * What the interpreter may know about the call it runs on. Immutable; everything here is fixed for the call's
 * life. {@code tn} is the called number of the platform (for inbound calls equal to {@code to}).
 */
public record FlowContext(String callId, String appId, String from, String to, String tn, String direction,
                          ZoneId zone, boolean autoAnswer, GeoLookup geo) {}
