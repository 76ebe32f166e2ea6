package io.openvoice.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.openvoice.api.Api;
import io.openvoice.api.ApiServer;
import io.openvoice.auth.Jwt;
import io.openvoice.sip.SipEdge;
import java.io.File;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one node: cluster member, sharded entities, REST API. Configuration: the single-node default
 * ({@code application.conf}) or the file named by {@code OPENTACT_CONFIG}.
 */
public final class Main {
  static {
    // Pekko's asks complete Java stages through Scala's CompletableFuture subclass, which runs every dependent
    // stage (thenApply, thenCompose, whenComplete) asynchronously on the common pool. With one or two cores that
    // pool has parallelism 1, and CompletableFuture then starts a new thread per task: thousands of threads a
    // minute under load. Before anything touches the pool, give it at least two threads.
    commonPoolAtLeastTwo();
  }

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  static void commonPoolAtLeastTwo() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM, String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
  }

  /** A running node. */
  public record Node(ActorSystem<Void> system, Platform platform, InetSocketAddress http, SipEdge sip) {}

  public static void main(String[] args) throws Exception {
    Node node = start(loadConfig()).toCompletableFuture().get();
    String url = "http://" + displayHost(node.http()) + ":" + node.http().getPort();
    log.info("openvoice node up; HTTP API listening on {}/rest (health: {}/health)", url, url);
    System.out.println("HTTP API listening on " + url);
    if (node.sip() != null) {
      System.out.println("SIP listening on " + node.sip().describe());
    }
    // the node is stopped by SIGTERM (the shutdown hook drains it) or by a drain over REST: then the JVM exits
    node.system().getWhenTerminated().thenRun(() -> System.exit(0));
  }

  /** A host a user can paste: localhost when bound to every interface. */
  static String displayHost(InetSocketAddress a) {
    if (a.getAddress() != null && a.getAddress().isAnyLocalAddress()) return "localhost";
    String h = a.getHostString();
    return h.contains(":") ? "[" + h + "]" : h;
  }

  public static Config loadConfig() {
    String file = System.getenv("OPENTACT_CONFIG");
    if (file != null && !file.isBlank()) {
      File f = new File(file);
      if (!f.isFile()) throw new IllegalArgumentException("OPENTACT_CONFIG=" + file + ": no such file");
      return ConfigFactory.load(ConfigFactory.parseFile(f));
    }
    return ConfigFactory.load();
  }

  /** Starts a node on this config; completes when the HTTP API is bound. */
  public static CompletionStage<Node> start(Config config) throws Exception {
    NodeSetup.prepareDataDir(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), config.getString("openvoice.cluster-name"), config);
    try {
      NodeSetup.joinCluster(system);
      Jwt jwt = new Jwt(NodeSetup.jwtSecret(config), config.getDuration("openvoice.auth.jwt-ttl"));
      var blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("openvoice-blocking-dispatcher"));
      return NodeSetup.createSchema(system)
          .thenCompose(done -> {
            try {
              Platform platform = new Platform(system, jwt, NodeSetup.httpPort(system));
              return NodeSetup.bootstrapAdmin(platform, config)
                  .thenCompose(x -> new ApiServer(platform, Api.routes(platform), blocking)
                      .bind(config.getString("openvoice.http.interface"), config.getInt("openvoice.http.port")))
                  .thenApply(binding -> new Node(system, platform, binding.localAddress(),
                      NodeSetup.startSipEdge(platform, config, blocking)))
                  .thenCompose(node -> NodeSetup.startManagement(system, config).thenApply(x -> node));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          })
          .whenComplete((n, err) -> {
            if (err != null) {
              log.error("node failed to start", err);
              system.terminate();
            }
          });
    } catch (Exception e) {
      system.terminate();
      throw e;
    }
  }
}
