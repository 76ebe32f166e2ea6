package io.openvoice.sip;

import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;

/**
 * The SIP stack's router ({@code javax.sip.ROUTER_PATH}): every request of a dialled leg that has a next hop of
 * its own (a phone behind NAT, reached at the address its REGISTER came from; a trunk whose host name we resolved)
 * goes there, the in-dialog ACK and BYE included, which would otherwise follow the callee's Contact to a private
 * address. Everything else routes as the RI's default router does. The RI builds the router by reflection, so the
 * edge registers its look-up (SIP Call-ID to next hop) under the stack's name before creating the stack.
 */
public final class SipNextHopRouter implements Router {
  private static final Map<String, BiFunction<String, String, Hop>> BY_STACK = new ConcurrentHashMap<>();

  private final Router fallback;
  private final BiFunction<String, String, Hop> pinned;

  public SipNextHopRouter(SipStack stack, String outboundProxy) {
    this.fallback = new gov.nist.javax.sip.stack.DefaultRouter(stack, outboundProxy);
    this.pinned = BY_STACK.getOrDefault(stack.getStackName(), (id, tag) -> null);
  }

  /**
   * Routes the requests of the stack named {@code stackName} by {@code nextHopOfCall}, given a request's Call-ID
   * and From tag (our tag in its dialog); null: default routing.
   */
  static void install(String stackName, BiFunction<String, String, Hop> nextHopOfCall) {
    BY_STACK.put(stackName, nextHopOfCall);
  }

  static void uninstall(String stackName) {
    BY_STACK.remove(stackName);
  }

  /** A next hop {@code host:port} (IPv6 in brackets) on {@code transport}. */
  static Hop hop(String hostPort, String transport) {
    int colon = hostPort.lastIndexOf(':');
    boolean hasPort = colon > 0 && colon > hostPort.lastIndexOf(']');
    String host = hasPort ? hostPort.substring(0, colon) : hostPort;
    int port = hasPort ? Integer.parseInt(hostPort.substring(colon + 1)) : 5060;
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    return new gov.nist.javax.sip.stack.HopImpl(host, port, transport == null ? "udp" : transport);
  }

  @Override
  public Hop getNextHop(Request request) throws SipException {
    CallIdHeader id = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
    javax.sip.header.FromHeader from = (javax.sip.header.FromHeader) request.getHeader(javax.sip.header.FromHeader.NAME);
    Hop hop = id == null ? null : pinned.apply(id.getCallId(), from == null ? null : from.getTag());
    return hop != null ? hop : fallback.getNextHop(request);
  }

  @Override
  public Hop getOutboundProxy() {
    return fallback.getOutboundProxy();
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ListIterator getNextHops(Request request) {
    return fallback.getNextHops(request);
  }
}
