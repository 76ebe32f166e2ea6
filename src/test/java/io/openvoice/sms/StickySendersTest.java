package io.openvoice.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.openvoice.calllog.CallLogDb;
import io.openvoice.node.TestDatabase;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sticky senders on the real database (H2 by default; PostgreSQL with {@code -Dopenvoice.test.db=postgres}): the
 * table's insert-if-absent under concurrent writers, pool entities racing for one new recipient, expiry, refresh
 * and the clean-up. Every message of the entities goes through its serializer.
 */
class StickySendersTest {
  static final List<String> LONG_CODES = List.of("12025550100", "12025550101", "12025550102", "12025550103");
  static final SmsPool.Settings STICKY = new SmsPool.Settings(true, 1, 0, false);
  static final SmsPoolSettings SETTINGS = new SmsPoolSettings(3, Duration.ofMinutes(5), Duration.ofDays(30), 100,
      Duration.ofHours(1));

  static ActorTestKit testKit;
  static CallLogDb db;
  static StickySenders store;

  @BeforeAll
  static void start() throws Exception {
    String database;
    if (TestDatabase.postgres()) {
      String schema = TestDatabase.newSchema();
      TestDatabase.applyMigration(schema);
      database = """
          pekko-persistence-jdbc.shared-databases.slick.db { url = "%s", user = "%s", password = "%s",
            driver = "org.postgresql.Driver" }
          """.formatted(TestDatabase.urlFor(schema), TestDatabase.user(), TestDatabase.password());
    } else {
      String dir = Files.createTempDirectory("openvoice-sticky").toString().replace("\\", "/");
      database = """
          pekko-persistence-jdbc.shared-databases.slick.db {
            url = "jdbc:h2:file:%s/h2/sticky;DB_CLOSE_DELAY=-1;DATABASE_TO_UPPER=false"
            user = "sa", password = "", driver = "org.h2.Driver" }
          """.formatted(dir);
    }
    Config config = ConfigFactory.load(ConfigFactory.parseString(database + """
        openvoice.call-log.pool-size = 4
        pekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size = 8
        pekko.actor.serialization-bindings { "io.openvoice.common.CborSerializable" = jackson-cbor }
        pekko.actor.serialize-messages = on
        """));
    testKit = ActorTestKit.create(config);
    db = CallLogDb.get(testKit.system());
    if (!TestDatabase.postgres()) await(db.applyScript(StickySenders.SCHEMA_RESOURCE));
    store = new StickySenders(db);
  }

  @AfterAll
  static void stop() {
    if (testKit != null) testKit.shutdownTestKit();
  }

  static <T> T await(java.util.concurrent.CompletionStage<T> f) throws Exception {
    return f.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static String profile() {
    return UUID.randomUUID().toString();
  }

  static StickySenders.Row row(String profile, String recipient) throws Exception {
    return await(store.find(profile, recipient)).orElse(null);
  }

  static void put(String profile, String recipient, String sender, Instant usedOn) throws Exception {
    await(db.run(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO sms_sticky_sender (profile, recipient, sender, used_on) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, profile);
        ps.setString(2, recipient);
        ps.setString(3, sender);
        ps.setObject(4, OffsetDateTime.ofInstant(usedOn, ZoneOffset.UTC));
        ps.executeUpdate();
      }
      return null;
    }));
  }

  static String pick(ActorRef<SmsPoolEntity.Command> pool, List<String> tns, String to) {
    TestProbe<SmsPoolEntity.Chosen> probe = testKit.createTestProbe();
    pool.tell(new SmsPoolEntity.Pick(tns, to, STICKY, probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(30)).tn();
  }

  @Test
  void writersClaimingOneNewRecipientAtOnceAllEndOnTheFirstStoredSender() throws Exception {
    String profile = profile();
    int writers = 8;
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<StickySenders.Claim>> claims = new ArrayList<>();
      Instant now = Instant.now();
      for (int i = 0; i < writers; i++) {
        String sender = "1202555010" + i;
        claims.add(threads.submit(() -> {
          go.await();
          return await(store.claim(profile, "12125550001", null, sender, now));
        }));
      }
      go.countDown();
      Set<String> senders = new HashSet<>();
      int ours = 0;
      for (Future<StickySenders.Claim> f : claims) {
        StickySenders.Claim c = f.get(60, TimeUnit.SECONDS);
        senders.add(c.row().sender());
        if (c.ours()) ours++;
      }
      assertEquals(1, senders.size(), "every writer ends on one sender: " + senders);
      assertEquals(1, ours, "exactly one insert won");
      assertEquals(senders.iterator().next(), row(profile, "12125550001").sender());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void concurrentFirstPicksForOneRecipientAgreeAcrossPoolEntities() throws Exception {
    String profile = profile();
    // the profile's entity as it may briefly exist twice (a hand-over, a split) plus two more, each with its round
    // robin at another number, so that on their own they would choose four different senders
    List<ActorRef<SmsPoolEntity.Command>> pools = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ActorRef<SmsPoolEntity.Command> pool = testKit.spawn(SmsPoolEntity.create(profile, SETTINGS, store));
      for (int k = 0; k < i; k++) pick(pool, LONG_CODES, "1313555000" + i + k);
      pools.add(pool);
    }
    List<TestProbe<SmsPoolEntity.Chosen>> probes = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (ActorRef<SmsPoolEntity.Command> pool : pools) {
        TestProbe<SmsPoolEntity.Chosen> probe = testKit.createTestProbe();
        pool.tell(new SmsPoolEntity.Pick(LONG_CODES, "12125550002", STICKY, probe.getRef()));
        probes.add(probe);
      }
    }
    Set<String> chosen = new HashSet<>();
    for (TestProbe<SmsPoolEntity.Chosen> p : probes) chosen.add(p.receiveMessage(Duration.ofSeconds(30)).tn());
    assertEquals(1, chosen.size(), "one sender for the recipient: " + chosen);
    assertEquals(chosen.iterator().next(), row(profile, "12125550002").sender());
    // and each entity keeps answering with it
    for (ActorRef<SmsPoolEntity.Command> pool : pools) {
      assertEquals(chosen.iterator().next(), pick(pool, LONG_CODES, "12125550002"));
    }
  }

  @Test
  void anExpiredPairingIsReplacedAndOverwritten() throws Exception {
    String profile = profile();
    Instant old = Instant.now().minus(Duration.ofDays(31));
    // the last long code: a fresh round robin would start with the first, so a kept pair would show
    put(profile, "12125550003", "12025550103", old);
    ActorRef<SmsPoolEntity.Command> pool = testKit.spawn(SmsPoolEntity.create(profile, SETTINGS, store));
    String sender = pick(pool, LONG_CODES, "12125550003");
    assertNotEquals("12025550103", sender, "a pairing unused for the TTL is ignored");
    StickySenders.Row now = row(profile, "12125550003");
    assertEquals(sender, now.sender(), "and replaced in the table");
    assertTrue(now.usedOn().isAfter(old.plus(Duration.ofDays(30))), now.toString());
    assertEquals(sender, pick(pool, LONG_CODES, "12125550003"));
  }

  @Test
  void aPairingInUseIsKeptAndItsUseRefreshedAtMostOnceADay() throws Exception {
    String profile = profile();
    Instant weeksAgo = Instant.now().minus(Duration.ofDays(29)).truncatedTo(ChronoUnit.MILLIS);
    Instant hourAgo = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
    put(profile, "12125550004", "12025550103", weeksAgo);
    put(profile, "12125550005", "12025550102", hourAgo);
    ActorRef<SmsPoolEntity.Command> pool = testKit.spawn(SmsPoolEntity.create(profile, SETTINGS, store));
    assertEquals("12025550103", pick(pool, LONG_CODES, "12125550004"));
    assertEquals("12025550102", pick(pool, LONG_CODES, "12125550005"));
    // the refresh is written after the answer: wait until it shows in the table
    Instant deadline = Instant.now().plusSeconds(10);
    while (!row(profile, "12125550004").usedOn().isAfter(weeksAgo) && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertTrue(row(profile, "12125550004").usedOn().isAfter(hourAgo), "a pair last used 29 days ago is refreshed");
    assertEquals(hourAgo, row(profile, "12125550005").usedOn(), "one refreshed an hour ago is not written again");
    for (int i = 0; i < 5; i++) assertEquals("12025550103", pick(pool, LONG_CODES, "12125550004"));
  }

  @Test
  void aStoredSenderThatLeftThePoolIsReplacedAndOverwritten() throws Exception {
    String profile = profile();
    put(profile, "12125550006", "12025550199", Instant.now());
    ActorRef<SmsPoolEntity.Command> pool = testKit.spawn(SmsPoolEntity.create(profile, SETTINGS, store));
    String sender = pick(pool, LONG_CODES, "12125550006");
    assertTrue(LONG_CODES.contains(sender), sender);
    assertEquals(sender, row(profile, "12125550006").sender());
    // and a number that leaves the pool later is replaced too, also when the entity has it cached
    List<String> rest = LONG_CODES.stream().filter(t -> !t.equals(sender)).toList();
    String next = pick(pool, rest, "12125550006");
    assertTrue(rest.contains(next), next);
    assertEquals(next, row(profile, "12125550006").sender());
  }

  @Test
  void aStoredSenderThatTurnedUnhealthyIsReplacedOnlyWhenUnhealthyNumbersAreSkipped() throws Exception {
    String profile = profile();
    put(profile, "12125550008", "12025550101", Instant.now());
    ActorRef<SmsPoolEntity.Command> pool = testKit.spawn(SmsPoolEntity.create(profile, SETTINGS, store));
    assertEquals("12025550101", pick(pool, LONG_CODES, "12125550008"));
    for (int i = 0; i < SETTINGS.unhealthyAfter(); i++) pool.tell(new SmsPoolEntity.Outcome("12025550101", false));
    assertEquals("12025550101", pick(pool, LONG_CODES, "12125550008"), "kept while unhealthy ones are not skipped");
    TestProbe<SmsPoolEntity.Chosen> probe = testKit.createTestProbe();
    pool.tell(new SmsPoolEntity.Pick(LONG_CODES, "12125550008", new SmsPool.Settings(true, 1, 0, true),
        probe.getRef()));
    String replaced = probe.receiveMessage(Duration.ofSeconds(30)).tn();
    assertNotEquals("12025550101", replaced);
    assertEquals(replaced, row(profile, "12125550008").sender());
  }

  @Test
  void aRecipientWithoutStickinessIsNeverStored() throws Exception {
    String profile = profile();
    ActorRef<SmsPoolEntity.Command> pool = testKit.spawn(SmsPoolEntity.create(profile, SETTINGS, store));
    TestProbe<SmsPoolEntity.Chosen> probe = testKit.createTestProbe();
    pool.tell(new SmsPoolEntity.Pick(LONG_CODES, "12125550007", new SmsPool.Settings(false, 1, 0, false),
        probe.getRef()));
    assertEquals("12025550100", probe.receiveMessage(Duration.ofSeconds(30)).tn());
    assertNull(row(profile, "12125550007"));
  }

  @Test
  void theCleanUpDeletesThePairsUnusedForTheTtlInBatchesAndNothingElse() throws Exception {
    String profile = profile();
    Instant now = Instant.now();
    int expired = StickySenders.DELETE_BATCH * 2 + 7;
    await(db.run(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO sms_sticky_sender (profile, recipient, sender, used_on) VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < expired + 3; i++) {
          ps.setString(1, profile);
          ps.setString(2, "1414" + i);
          ps.setString(3, "12025550100");
          ps.setObject(4, OffsetDateTime.ofInstant(i < expired ? now.minus(Duration.ofDays(31))
              : now.minus(Duration.ofDays(29)), ZoneOffset.UTC));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    }));
    Instant before = now.minus(Duration.ofDays(30));
    // two nodes cleaning up at once
    CompletableFuture<Integer> a = store.deleteUnusedSince(before).toCompletableFuture();
    CompletableFuture<Integer> b = store.deleteUnusedSince(before).toCompletableFuture();
    assertEquals(expired, a.get(60, TimeUnit.SECONDS) + b.get(60, TimeUnit.SECONDS));
    int left = await(db.run(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sms_sticky_sender WHERE profile = ?")) {
        ps.setString(1, profile);
        try (var rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    }));
    assertEquals(3, left);
    assertFalse(row(profile, "1414" + expired) == null);
  }
}
