package io.openvoice.sms;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a number off a messaging profile's numbers (its pool) when its lease left the profile (SMS disabled, moved,
 * released). The lease is the truth; the profile's list is a copy, so a detach that fails now is retried in the
 * background with a backoff ({@link #RETRIES} times, from {@link #FIRST_RETRY}, doubling), never blocking; pool
 * sends check the lease too and detach what no longer belongs.
 */
public final class ProfileNumbers {
  private static final Logger log = LoggerFactory.getLogger(ProfileNumbers.class);
  static final int RETRIES = 4;
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  private ProfileNumbers() {}

  /**
   * Detaches {@code tn} from {@code profile}; completes (never fails) after the first try. A profile that no longer
   * exists has nothing to detach; other failures are logged and retried in the background.
   */
  public static CompletionStage<Void> detach(ClusterSharding sharding, ActorSystem<?> system, Duration askTimeout,
                                             String profile, String tn) {
    if (profile == null || tn == null) return CompletableFuture.completedFuture(null);
    return attempt(sharding, system, askTimeout, profile, tn, 0);
  }

  private static CompletionStage<Void> attempt(ClusterSharding sharding, ActorSystem<?> system, Duration askTimeout,
                                               String profile, String tn, int retry) {
    return sharding.entityRefFor(MessagingProfileEntity.TYPE_KEY, profile)
        .<MessagingProfileEntity.Profile>askWithStatus(r -> new MessagingProfileEntity.Attach(tn, false, r), askTimeout)
        .handle((p, err) -> {
          Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
          if (cause == null || cause instanceof StatusReply.ErrorMessage) return null; // done, or no such profile
          if (retry >= RETRIES) {
            log.error("number {} could not be detached from messaging profile {} after {} tries: {}", tn, profile,
                retry + 1, cause.toString());
            return null;
          }
          Duration in = FIRST_RETRY.multipliedBy(1L << retry);
          log.warn("number {} not detached from messaging profile {} ({}); trying again in {} ms", tn, profile,
              cause.toString(), in.toMillis());
          system.scheduler().scheduleOnce(in, () -> attempt(sharding, system, askTimeout, profile, tn, retry + 1),
              system.executionContext());
          return null;
        });
  }
}
