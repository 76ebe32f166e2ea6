package io.openvoice.sip;

import javax.sip.message.Response;

/** A call the edge refuses, with the SIP status to answer (or a ready response, such as a digest challenge). */
final class Refused extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;
  final transient Response response;

  Refused(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
    this.response = null;
  }

  Refused(Response response, String reason) {
    super(reason, null, false, false);
    this.status = response.getStatusCode();
    this.response = response;
  }
}
