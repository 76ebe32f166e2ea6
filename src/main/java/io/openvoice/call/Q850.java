package io.openvoice.call;

import java.util.Map;

/** Q.850 release causes used by the platform, with the names Opentact (FreeSWITCH) prints. */
public final class Q850 {
  public static final int UNALLOCATED_NUMBER = 1;
  public static final int NORMAL_CLEARING = 16;
  public static final int USER_BUSY = 17;
  public static final int NO_USER_RESPONSE = 18;
  public static final int NO_ANSWER = 19;
  public static final int SUBSCRIBER_ABSENT = 20;
  public static final int CALL_REJECTED = 21;
  public static final int NORMAL_UNSPECIFIED = 31;
  public static final int NORMAL_TEMPORARY_FAILURE = 41;
  public static final int RECOVERY_ON_TIMER_EXPIRE = 102;
  public static final int ORIGINATOR_CANCEL = 487;
  public static final int MEDIA_TIMEOUT = 604;

  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(0, "UNSPECIFIED"),
      Map.entry(UNALLOCATED_NUMBER, "UNALLOCATED_NUMBER"),
      Map.entry(NORMAL_CLEARING, "NORMAL_CLEARING"),
      Map.entry(USER_BUSY, "USER_BUSY"),
      Map.entry(NO_USER_RESPONSE, "NO_USER_RESPONSE"),
      Map.entry(NO_ANSWER, "NO_ANSWER"),
      Map.entry(SUBSCRIBER_ABSENT, "SUBSCRIBER_ABSENT"),
      Map.entry(CALL_REJECTED, "CALL_REJECTED"),
      Map.entry(27, "DESTINATION_OUT_OF_ORDER"),
      Map.entry(NORMAL_UNSPECIFIED, "NORMAL_UNSPECIFIED"),
      Map.entry(34, "NORMAL_CIRCUIT_CONGESTION"),
      Map.entry(38, "NETWORK_OUT_OF_ORDER"),
      Map.entry(NORMAL_TEMPORARY_FAILURE, "NORMAL_TEMPORARY_FAILURE"),
      Map.entry(RECOVERY_ON_TIMER_EXPIRE, "RECOVERY_ON_TIMER_EXPIRE"),
      Map.entry(127, "INTERWORKING"),
      Map.entry(ORIGINATOR_CANCEL, "ORIGINATOR_CANCEL"),
      Map.entry(MEDIA_TIMEOUT, "MEDIA_TIMEOUT"));

  private Q850() {}

  public static String name(int cause) {
    return NAMES.getOrDefault(cause, "UNKNOWN_" + cause);
  }
}
