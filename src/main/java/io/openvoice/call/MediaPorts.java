package io.openvoice.call;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The media implementations of this node, by {@link CallSpec.MediaHandle#kind()}, and the way to the media of
 * calls whose sessions live on another node: a handle's {@code node} names the host actor of the node that holds
 * the session; for another node than this one, commands go to that host.
 */
public final class MediaPorts {
  private final Map<String, MediaPort> ports = new ConcurrentHashMap<>();
  private final Map<String, MediaPort> remotes = new ConcurrentHashMap<>();
  private volatile String localNode = "";
  private volatile Function<String, ActorRef<?>> resolve;
  private volatile Function<ActorRef<?>, MediaPort> remotePort;
  private volatile java.util.function.Predicate<ActorRef<?>> reachable = host -> true;

  public MediaPorts register(String kind, MediaPort port) {
    ports.put(kind, port);
    return this;
  }

  /**
   * Connects this node's ports to the cluster: {@code localNode} is the id its media handles carry; {@code resolve}
   * finds another node's host from the id in a handle (null for an id that names no host, e.g. a handle journalled
   * before hosts existed); {@code remotePort} is the port that drives media through such a host.
   */
  public void connect(String localNode, Function<String, ActorRef<?>> resolve,
                      Function<ActorRef<?>, MediaPort> remotePort) {
    this.localNode = localNode;
    this.resolve = resolve;
    this.remotePort = remotePort;
  }

  /** How to tell whether another node's host can be reached now (its node not unreachable in the cluster). */
  public void reachability(java.util.function.Predicate<ActorRef<?>> reachable) {
    this.reachable = reachable;
  }

  /**
   * False when the handle names another node's media host and that node cannot be reached now (crashed or cut
   * off, not yet removed from the cluster); true otherwise.
   */
  public boolean reachable(CallSpec.MediaHandle handle) {
    if (resolve == null || handle == null || handle.node() == null || handle.node().equals(localNode)
        || !handle.node().startsWith("pekko")) {
      return true; // this node's own media (or a handle from before hosts existed)
    }
    ActorRef<?> host = remoteHost(handle);
    return host != null && reachable.test(host); // null: its node has left the cluster
  }

  /** The id this node's media handles carry as their {@code node}. */
  public String localNode() {
    return localNode;
  }

  /** The port for a handle: this node's for its own sessions, a remote one for another node's. */
  public MediaPort forHandle(CallSpec.MediaHandle handle) {
    ActorRef<?> host = remoteHost(handle);
    if (host != null) return remotes.computeIfAbsent(handle.node(), n -> remotePort.apply(host));
    return local(handle);
  }

  /** This node's own port for the handle's kind; a handle of an unknown kind gets one that does nothing. */
  public MediaPort local(CallSpec.MediaHandle handle) {
    MediaPort p = handle == null ? null : ports.get(handle.kind());
    return p != null ? p : MissingMediaPort.INSTANCE;
  }

  /** The host of another node that holds this call's media, or null (this node's, or no host named). */
  public ActorRef<?> remoteHost(CallSpec.MediaHandle handle) {
    Function<String, ActorRef<?>> r = resolve;
    if (r == null || handle == null || handle.node() == null || handle.node().equals(localNode)) return null;
    return r.apply(handle.node());
  }
}
