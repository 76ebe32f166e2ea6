package io.openvoice.node;

import com.typesafe.config.Config;
import io.openvoice.account.AccountEntity;
import io.openvoice.account.IndexEntity;
import io.openvoice.auth.Passwords;
import io.openvoice.call.HttpPort;
import io.openvoice.calllog.CallLogDb;
import io.openvoice.http.FlowHttpClient;
import io.openvoice.http.HttpRequestSpec;
import io.openvoice.media.EspeakTts;
import io.openvoice.media.rtp.RtpEngine;
import io.openvoice.media.source.MusicOnHold;
import io.openvoice.media.source.PromptCache;
import io.openvoice.recording.RecordingStore;
import io.openvoice.sip.SipEdge;
import io.openvoice.sip.SipMediaServices;
import io.openvoice.sip.SipPrompts;
import io.openvoice.sip.SipSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of bringing a node up, kept out of {@link Main} so tests start nodes the same way. */
public final class NodeSetup {
  private static final Logger log = LoggerFactory.getLogger(NodeSetup.class);

  private NodeSetup() {}

  static void prepareDataDir(Config config) throws IOException {
    Files.createDirectories(Path.of(config.getString("openvoice.data-dir")));
  }

  /**
   * Pekko Management HTTP (cluster state, /alive, /ready with the drain check) when
   * {@code openvoice.management.enabled}, and Cluster Bootstrap when {@code openvoice.management.bootstrap}.
   */
  static CompletionStage<Void> startManagement(ActorSystem<?> system, Config config) {
    if (!config.getBoolean("openvoice.management.enabled")) return CompletableFuture.completedFuture(null);
    var classic = org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system);
    return org.apache.pekko.management.javadsl.PekkoManagement.get(classic).start().thenAccept(uri -> {
      log.info("Pekko Management on {} (cluster state /cluster/members, health /alive and /ready)", uri);
      if (config.getBoolean("openvoice.management.bootstrap")) {
        org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap.get(classic).start();
      }
    });
  }

  /**
   * With no seed nodes configured, the node forms a cluster of its own (the single-node default); with Cluster
   * Bootstrap on, the bootstrap forms or joins it.
   */
  static void joinCluster(ActorSystem<?> system) {
    Config c = system.settings().config();
    if (c.getBoolean("openvoice.management.bootstrap")) return;
    boolean seeds = c.hasPath("pekko.cluster.seed-nodes") && !c.getStringList("pekko.cluster.seed-nodes").isEmpty();
    if (!seeds) {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
  }

  /** The PostgreSQL schema migration (ops/sql/postgres/V1__schema.sql, packaged under sql/). */
  static final String POSTGRES_SCHEMA = "sql/postgres/V1__schema.sql";

  /**
   * The scripts a node runs on H2 after the call log's, in order; on PostgreSQL each is part of
   * {@link #POSTGRES_SCHEMA} (SmsLogSchemaTest checks it).
   */
  public static final List<String> H2_SCRIPTS = List.of(io.openvoice.sms.log.SmsLogStore.SCHEMA_RESOURCE,
      "sql/sms-balance.sql", "sql/sms-sticky.sql");

  /**
   * The database schema, idempotently. H2 (the default): journal, snapshot and durable-state tables from the
   * plugin's own script, then the call-log read side ({@code ops/sql/call-log.sql}) and the SMS log
   * ({@code ops/sql/sms-log.sql}) and the others of {@link #H2_SCRIPTS}. PostgreSQL: the tables come
   * from the migration {@code ops/sql/postgres/V1__schema.sql} (ops/postgres/start.sh applies it); a node runs it
   * itself only with {@code openvoice.create-schema = on}, and otherwise checks that every table of it is there and
   * fails its start with what to do when one is missing. Other databases: created only when create-schema is on.
   */
  static CompletionStage<Done> createSchema(ActorSystem<?> system) {
    Config c = system.settings().config();
    String profile = c.getString("pekko-persistence-jdbc.shared-databases.slick.profile");
    boolean create = c.getBoolean("openvoice.create-schema");
    if (profile.contains("Postgres")) {
      CallLogDb db = CallLogDb.get(system);
      String script = CallLogDb.script(POSTGRES_SCHEMA);
      CompletionStage<Void> applied = create ? db.applyScript(POSTGRES_SCHEMA) : CompletableFuture.completedFuture(null);
      return applied
          .thenCompose(x -> db.missingPostgresTables(tablesOf(script)))
          .thenApply(missing -> {
            if (!missing.isEmpty()) {
              throw new IllegalStateException("the PostgreSQL database "
                  + c.getString("pekko-persistence-jdbc.shared-databases.slick.db.url") + " has no table " + missing
                  + ": apply ops/sql/postgres/V1__schema.sql (ops/postgres/start.sh does) or start with"
                  + " openvoice.create-schema = on");
            }
            return Done.getInstance();
          });
    }
    if (!profile.contains("H2") && !create) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return SchemaUtils.createIfNotExists(system)
        .thenCompose(done -> CallLogDb.get(system).createSchema())
        .thenCompose(done -> {
          CompletionStage<Void> all = CompletableFuture.completedFuture(null);
          for (String script : H2_SCRIPTS) all = all.thenCompose(x -> CallLogDb.get(system).applyScript(script));
          return all;
        })
        .thenApply(x -> Done.getInstance());
  }

  private static final Pattern CREATE_TABLE =
      Pattern.compile("^CREATE TABLE IF NOT EXISTS\\s+(\\w+)", Pattern.CASE_INSENSITIVE);

  /** The tables a script creates ({@code CREATE TABLE IF NOT EXISTS <name>}), in its order. */
  static List<String> tablesOf(String script) {
    List<String> out = new ArrayList<>();
    for (String statement : CallLogDb.statements(script)) {
      Matcher m = CREATE_TABLE.matcher(statement);
      if (m.find()) out.add(m.group(1).toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /** The configured JWT secret, or one generated at first start and kept in the data directory. */
  static String jwtSecret(Config config) throws IOException {
    String s = config.getString("openvoice.auth.jwt-secret");
    if (!s.isBlank()) return s;
    Path file = Path.of(config.getString("openvoice.data-dir"), "jwt.secret");
    if (Files.exists(file)) return Files.readString(file).trim();
    String secret = Passwords.randomSecret(32);
    Files.writeString(file, secret);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    return secret;
  }

  static HttpPort httpPort(ActorSystem<?> system) {
    FlowHttpClient client = new FlowHttpClient(system);
    return req -> {
      HttpRequestSpec.Method method;
      try {
        method = HttpRequestSpec.Method.valueOf(req.method().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("unsupported HTTP method " + req.method()));
      }
      return client.send(new HttpRequestSpec(method, req.url(), req.query(), req.body(), req.contentType(),
              req.headers(), req.timeout()))
          .thenApply(res -> new HttpPort.Response(res.status(), res.body()));
    };
  }

  /**
   * Creates the admin account from OPENTACT_ADMIN_EMAIL / OPENTACT_ADMIN_PASSWORD at first start. Without a
   * password, one is generated and printed once; production configs always set both.
   */
  static CompletionStage<Void> bootstrapAdmin(Platform p, Config config) {
    return retryingTimeouts(p, () -> bootstrapAdminOnce(p, config), 12);
  }

  /**
   * Runs {@code attempt} again (2 s later, at most {@code left} more times) when it fails with an ask timeout: while
   * several nodes start together, shards move and the first asks may time out; that is no reason to stop the node.
   */
  static <T> CompletionStage<T> retryingTimeouts(Platform p, java.util.function.Supplier<CompletionStage<T>> attempt,
                                                 int left) {
    CompletableFuture<T> result = new CompletableFuture<>();
    tryOnce(attempt, left, result);
    return result;
  }

  private static <T> void tryOnce(java.util.function.Supplier<CompletionStage<T>> attempt, int left,
                                  CompletableFuture<T> result) {
    CompletionStage<T> stage;
    try {
      stage = attempt.get();
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    stage.whenComplete((v, err) -> {
      if (err == null) {
        result.complete(v);
        return;
      }
      Throwable t = io.openvoice.common.Errors.unwrap(err);
      if (!(t instanceof java.util.concurrent.TimeoutException) || left <= 0) {
        result.completeExceptionally(t);
        return;
      }
      log.info("start-up: {}; trying again in 2 s ({} more tries)", t.getMessage(), left);
      CompletableFuture.delayedExecutor(2, java.util.concurrent.TimeUnit.SECONDS)
          .execute(() -> tryOnce(attempt, left - 1, result));
    });
  }

  private static CompletionStage<Void> bootstrapAdminOnce(Platform p, Config config) {
    String email = config.getString("openvoice.auth.admin-email");
    if (email.isBlank()) email = "admin@localhost";
    final String adminEmail = email;
    String given = config.getString("openvoice.auth.admin-password");
    String password = given.isBlank() ? Passwords.randomSecret(12) : given;
    var index = p.sharding.entityRefFor(IndexEntity.TYPE_KEY, IndexEntity.loginId(adminEmail));
    return index.ask(IndexEntity.Get::new, p.askTimeout).thenCompose(existing -> {
      if (existing.isPresent()) return CompletableFuture.completedFuture(null);
      String accountId = UUID.randomUUID().toString();
      String userId = UUID.randomUUID().toString();
      Instant now = Instant.now();
      AccountEntity.User user = new AccountEntity.User(userId, adminEmail, "Admin", "Admin", null, now);
      return p.sharding.entityRefFor(AccountEntity.TYPE_KEY, accountId)
          .<AccountEntity.State>askWithStatus(r -> new AccountEntity.Create("Operator", adminEmail, "UTC",
              AccountEntity.OPERATOR_LEVEL, user, r), p.askTimeout)
          .thenCompose(acc -> index.<IndexEntity.Value>askWithStatus(r -> new IndexEntity.PutIfAbsent(
              new IndexEntity.Login(adminEmail, accountId, userId, "Admin", Passwords.hash(password), now), r), p.askTimeout))
          .thenAccept(v -> {
            if (given.isBlank()) {
              System.out.println("Created admin account " + adminEmail + " with generated password: " + password
                  + "  (set OPENTACT_ADMIN_EMAIL / OPENTACT_ADMIN_PASSWORD to choose them)");
            } else {
              log.info("created admin account {}", adminEmail);
            }
          });
    });
  }

  /**
   * The SIP edge with its RTP engine and TTS, when {@code openvoice.sip.enabled}; stopped with the node. A port
   * that cannot be bound fails the start (an operator must see it), as the HTTP port does.
   */
  static SipEdge startSipEdge(Platform p, Config config, Executor blocking) {
    SipSettings s = SipSettings.from(config.getConfig("openvoice.sip"));
    if (!s.enabled()) return null;
    if (!p.system.settings().config().getStringList("pekko.cluster.roles").contains(Platform.EDGE)) {
      log.info("SIP edge not started: this node's roles {} do not include \"{}\"",
          config.getStringList("pekko.cluster.roles"), Platform.EDGE);
      return null;
    }
    RtpEngine rtp = new RtpEngine(s.bind(), s.rtpPortMin(), s.rtpPortMax(),
        s.maxCalls());
    rtp.start();
    p.sipMedia.rtpPacing(rtp::pacingP99Micros);
    var tts = new EspeakTts(s.ttsBinary(), Path.of(config.getString("openvoice.data-dir"), "tts"),
        s.ttsCacheEntries(), blocking);
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sip-media-timer");
      t.setDaemon(true);
      return t;
    });
    try {
      PromptCache urls = PromptCache.fromConfig(config, new FlowHttpClient(p.system), blocking);
      SipMediaServices services = new SipMediaServices(urls, MusicOnHold.fromConfig(config, urls, blocking),
          RecordingStore.fromConfig(config, blocking), blocking, p);
      SipEdge edge = new SipEdge(s, p, p.sipMedia, rtp, new SipPrompts(tts, urls, blocking), services, timers,
          jwtSecret(config), blocking);
      p.drain.edge(edge, p.sipMedia);
      CoordinatedShutdown.get(p.system).addTask(
          CoordinatedShutdown.PhaseServiceUnbind(), "sip-edge", () -> {
            edge.close();
            rtp.close();
            timers.shutdownNow();
            return CompletableFuture.completedFuture(Done.getInstance());
          });
      return edge;
    } catch (Exception e) {
      rtp.close();
      timers.shutdownNow();
      throw new IllegalStateException("SIP edge did not start on " + s.bind() + ":" + s.port() + ": " + e.getMessage(), e);
    }
  }

  static Optional<StatusReply<?>> none() {
    return Optional.empty();
  }
}
