package io.openvoice.sip;

import io.openvoice.call.Q850;
import io.openvoice.flow.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code <Dial>} of an inbound call: every target rings at once (a registered user with several contacts
 * rings on all of them), the first leg to answer is bridged and the others are cancelled, the ring timeout
 * cancels them all, and the time limit ends the bridge. All methods run under the call's monitor ({@code call}):
 * legs report through {@link SipLeg.Listener} while holding it, and the call calls in while holding it.
 */
final class SipDial implements SipLeg.Listener {
  static final long DEFAULT_RING_TIMEOUT_MS = 30_000;

  private final SipCall call;
  final Action.Dial action;
  private final ScheduledExecutorService timers;
  private final List<SipLeg> legs = new ArrayList<>();
  private int unresolved;
  private SipLeg winner;
  private boolean over;
  private ScheduledFuture<?> ringTimer;
  private ScheduledFuture<?> limitTimer;
  private final List<Integer> failures = new ArrayList<>();

  SipDial(SipCall call, Action.Dial action, ScheduledExecutorService timers) {
    this.call = call;
    this.action = action;
    this.timers = timers;
    this.unresolved = action.targets().size();
    long ring = action.ringTimeoutMs() > 0 ? action.ringTimeoutMs() : DEFAULT_RING_TIMEOUT_MS;
    ringTimer = timers.schedule(this::ringTimeout, ring, TimeUnit.MILLISECONDS);
  }

  boolean over() {
    return over;
  }

  /** A target was resolved into legs (started by the dialer) or into a failure status. */
  void resolved(List<SipLeg> started, int failureStatus) {
    unresolved--;
    if (over) {
      for (SipLeg l : started) l.hangup(Q850.ORIGINATOR_CANCEL, "dial_over");
      return;
    }
    legs.addAll(started);
    if (started.isEmpty()) failures.add(failureStatus);
    checkAllFailed();
  }

  @Override
  public void answered(SipLeg leg) {
    if (over || winner != null) {
      leg.hangup(Q850.NORMAL_CLEARING, "answered_elsewhere");
      return;
    }
    winner = leg;
    cancel(ringTimer);
    for (SipLeg other : legs) {
      if (other != leg) other.hangup(Q850.NORMAL_CLEARING, "answered_elsewhere");
    }
    call.dialAnswered(this, leg);
    if (action.timeLimitMs() > 0) {
      limitTimer = timers.schedule(() -> {
        synchronized (call) {
          if (!over && winner == leg) {
            leg.hangup(Q850.NORMAL_CLEARING, "time_limit");
            finish();
            call.dialEnded(this, true, "time_limit", Q850.NORMAL_CLEARING);
          }
        }
      }, action.timeLimitMs(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void failed(SipLeg leg, int sipStatus) {
    if (over || winner != null) return;
    failures.add(sipStatus);
    checkAllFailed();
  }

  @Override
  public void hungUp(SipLeg leg) {
    if (over || leg != winner) return;
    finish();
    call.dialEnded(this, true, "callee_hangup", Q850.NORMAL_CLEARING);
  }

  /** The caller went away or the flow moved on: hang up every leg; no outcome is reported. */
  void abort(int cause, String reason) {
    if (over) return;
    finish();
    for (SipLeg l : legs) l.hangup(cause, reason);
  }

  private void ringTimeout() {
    synchronized (call) {
      if (over || winner != null) return;
      finish();
      for (SipLeg l : legs) l.hangup(Q850.ORIGINATOR_CANCEL, "no_answer");
      call.dialEnded(this, false, "no_answer", Q850.NO_ANSWER);
    }
  }

  private void checkAllFailed() {
    if (over || winner != null || unresolved > 0) return;
    for (SipLeg l : legs) if (l.state() != SipLeg.State.ENDED) return;
    finish();
    int status = worst(failures);
    call.dialEnded(this, false, reasonFor(status), SipCauses.causeFor(status));
  }

  private void finish() {
    over = true;
    cancel(ringTimer);
    cancel(limitTimer);
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) f.cancel(false);
  }

  /** The status that describes the Dial best: busy beats no-answer beats unreachable beats anything else. */
  static int worst(List<Integer> statuses) {
    int best = 500;
    int rank = -1;
    for (int s : statuses) {
      int r = switch (reasonFor(s)) {
        case "busy" -> 3;
        case "no_answer" -> 2;
        case "unreachable" -> 1;
        default -> 0;
      };
      if (r > rank) {
        rank = r;
        best = s;
      }
    }
    return best;
  }

  static String reasonFor(int status) {
    return switch (status) {
      case 486, 600, 603 -> "busy";
      case 408, 487 -> "no_answer";
      case 404, 410, 480, 484 -> "unreachable";
      default -> "failed";
    };
  }
}
