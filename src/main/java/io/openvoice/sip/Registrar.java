package io.openvoice.sip;

import io.openvoice.common.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

/**
 * Where the SIP users of a domain are registered: one replicated map per domain (Pekko Distributed Data,
 * last-writer-wins per binding), so that the node which receives a call for a user finds the contact another node
 * registered. Bindings carry their absolute expiry; expired ones are ignored by look-ups and swept out by the next
 * REGISTER for the domain. Registrations are soft state, as in every registrar: phones refresh them, and a whole
 * cluster restart forgets them until they do.
 */
public final class Registrar {
  /** Contacts kept per address of record; the oldest are dropped beyond it. */
  static final int MAX_CONTACTS = 10;

  /**
   * One registered contact of {@code login@domain}. {@code source} is where the REGISTER came from (host:port),
   * used to reach a phone behind NAT when its Contact is a private address.
   */
  public record Binding(String login, String contact, long expiresAtMillis, String callId, long cseq, String source,
                        String transport, String edge) implements CborSerializable {}

  private final ActorSystem<?> system;
  private final ActorRef<Replicator.Command> replicator;
  private final SelfUniqueAddress self;
  private final Duration timeout;

  public Registrar(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.replicator = DistributedData.get(system).replicator();
    this.self = DistributedData.get(system).selfUniqueAddress();
    this.timeout = timeout;
  }

  private static org.apache.pekko.cluster.ddata.Key<LWWMap<String, Binding>> key(String domain) {
    return LWWMapKey.create("sipreg-" + domain.toLowerCase(Locale.ROOT));
  }

  private static String entry(String login, String contact) {
    return login.toLowerCase(Locale.ROOT) + "\n" + contact;
  }

  /**
   * Replace the bindings of {@code login}: {@code removeAll} first drops all of them (Contact: * with Expires 0),
   * {@code remove} drops those contacts, {@code add} adds or refreshes. Replies with the user's bindings after it.
   */
  public CompletionStage<List<Binding>> update(String domain, String login, boolean removeAll, List<String> remove,
                                               List<Binding> add, long nowMillis) {
    var key = key(domain);
    CompletionStage<Replicator.UpdateResponse<LWWMap<String, Binding>>> done = AskPattern.ask(replicator,
        replyTo -> new Replicator.Update<>(key, LWWMap.create(), new Replicator.WriteMajority(timeout), replyTo,
            map -> {
              LWWMap<String, Binding> m = map;
              for (Map.Entry<String, Binding> e : map.getEntries().entrySet()) {
                Binding b = e.getValue();
                boolean mine = b.login().equalsIgnoreCase(login);
                if (b.expiresAtMillis() <= nowMillis || (mine && (removeAll || remove.contains(b.contact())))) {
                  m = m.remove(self, e.getKey());
                }
              }
              for (Binding b : add) m = m.put(self, entry(login, b.contact()), b);
              List<Map.Entry<String, Binding>> mine = new ArrayList<>(m.getEntries().entrySet().stream()
                  .filter(e -> e.getValue().login().equalsIgnoreCase(login)).toList());
              mine.sort(Comparator.comparingLong(e -> e.getValue().expiresAtMillis()));
              for (int i = 0; i < mine.size() - MAX_CONTACTS; i++) m = m.remove(self, mine.get(i).getKey());
              return m;
            }), timeout.plusSeconds(1), system.scheduler());
    // a write that reached this node but not yet a majority is still applied here and gossiped later
    return done.thenCompose(r -> lookup(domain, login, nowMillis));
  }

  /** The live bindings of {@code login@domain}, newest first (an empty list when it is not registered). */
  public CompletionStage<List<Binding>> lookup(String domain, String login, long nowMillis) {
    var key = key(domain);
    CompletionStage<Replicator.GetResponse<LWWMap<String, Binding>>> got = AskPattern.ask(replicator,
        replyTo -> new Replicator.Get<>(key, Replicator.readLocal(), replyTo), timeout, system.scheduler());
    return got.thenApply(r -> {
      if (!(r instanceof Replicator.GetSuccess<LWWMap<String, Binding>> ok)) return List.of();
      return ok.get(key).getEntries().values().stream()
          .filter(b -> b.login().equalsIgnoreCase(login) && b.expiresAtMillis() > nowMillis)
          .sorted(Comparator.comparingLong(Binding::expiresAtMillis).reversed())
          .toList();
    });
  }
}
