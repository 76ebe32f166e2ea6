package io.openvoice.sip;

import io.openvoice.call.Q850;

/** Q.850 causes to SIP final responses and back (RFC 3398 mapping, trimmed to what a voice edge meets). */
public final class SipCauses {
  private SipCauses() {}

  /** The SIP status that refuses an unanswered call ending with this cause. */
  public static int statusFor(int q850) {
    return switch (q850) {
      case Q850.UNALLOCATED_NUMBER -> 404;
      case Q850.USER_BUSY -> 486;
      case Q850.NO_USER_RESPONSE -> 408;
      case Q850.NO_ANSWER, Q850.SUBSCRIBER_ABSENT -> 480;
      case Q850.CALL_REJECTED -> 603;
      case Q850.NORMAL_TEMPORARY_FAILURE -> 503;
      case Q850.RECOVERY_ON_TIMER_EXPIRE -> 408;
      case Q850.NORMAL_CLEARING, Q850.NORMAL_UNSPECIFIED -> 480;
      default -> 500;
    };
  }

  /** The Q.850 cause of a SIP final response from the far end. */
  public static int causeFor(int sipStatus) {
    return switch (sipStatus) {
      case 404, 484, 604 -> Q850.UNALLOCATED_NUMBER;
      case 486, 600 -> Q850.USER_BUSY;
      case 408 -> Q850.NO_USER_RESPONSE;
      case 480 -> Q850.NO_ANSWER;
      case 403, 603 -> Q850.CALL_REJECTED;
      case 487 -> Q850.ORIGINATOR_CANCEL;
      case 500, 503, 504 -> Q850.NORMAL_TEMPORARY_FAILURE;
      default -> Q850.NORMAL_UNSPECIFIED;
    };
  }
}
