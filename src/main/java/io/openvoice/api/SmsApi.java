package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.calllog.CallLogStore;
import io.openvoice.calllog.CallLogStore.Cond;
import io.openvoice.calllog.CallLogStore.Sort;
import io.openvoice.common.Json;
import io.openvoice.node.Platform;
import io.openvoice.number.CallerId;
import io.openvoice.number.TnEntity;
import io.openvoice.sms.MessagingProfileEntity;
import io.openvoice.sms.MessagingProfileEntity.Profile;
import io.openvoice.sms.ProfileNumbers;
import io.openvoice.sms.Segmenter;
import io.openvoice.sms.SmsJson;
import io.openvoice.sms.SmsMessage;
import io.openvoice.sms.SmsMessage.Message;
import io.openvoice.sms.SmsMessageEntity;
import io.openvoice.sms.SmsNumbers;
import io.openvoice.sms.SmsPool;
import io.openvoice.sms.SmsPoolEntity;
import io.openvoice.sms.log.SmsLogStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sending SMS ({@code POST /rest/sms}: from a number, or from a messaging profile's pool), reading one message, and
 * the SMS log searches (reference 3.4).
 */
final class SmsApi {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SmsApi.class);
  static final int MAX_TEXT = 918;
  private static final Map<String, String> ORDER = Map.of("created_on", "created_on", "modified_on", "modified_on");

  private final Platform p;
  private final Asks asks;
  private final MessagingProfileApi profiles;

  SmsApi(Platform p, Asks asks, MessagingProfileApi profiles) {
    this.p = p;
    this.asks = asks;
    this.profiles = profiles;
  }

  void register(Router r) {
    r.add("POST", "/rest/sms", this::send);
    r.add("GET", "/rest/sms/outbound/{uuid}", req -> one(req, SmsMessage.OUT));
    r.add("GET", "/rest/sms/inbound/{uuid}", req -> one(req, SmsMessage.IN));
    r.add("POST", "/rest/sms/search", req -> search(req, null));
    r.add("POST", "/rest/sms/search/outbound", req -> search(req, SmsMessage.OUT));
    r.add("POST", "/rest/sms/search/inbound", req -> search(req, SmsMessage.IN));
    r.add("POST", "/rest/sms/outbound", req -> search(req, SmsMessage.OUT));
    r.add("POST", "/rest/sms/inbound", req -> search(req, SmsMessage.IN));
  }

  /** The JSON body, with query parameters for the fields the body does not have. */
  private static ObjectNode params(Req req) {
    ObjectNode b = req.json();
    req.query().forEach((k, v) -> {
      if (!b.has(k) && !k.equals("jwt") && !k.equals("bearer")) b.put(k, v);
    });
    return b;
  }

  /** A string or number field as text; absent, null or blank → null. */
  private static String text(ObjectNode b, String f) {
    JsonNode n = b.get(f);
    if (n == null || n.isNull()) return null;
    if (!n.isTextual() && !n.isIntegralNumber()) throw ApiException.badField(f, "must be a string", n.toString());
    return n.asText().isBlank() ? null : n.asText().trim();
  }

  private CompletionStage<Reply> send(Req req) {
    ObjectNode b = params(req);
    String account = req.principal().accountId();
    String toRaw = text(b, "to");
    if (toRaw == null) throw ApiException.badField("to", "is required", null);
    String to = SmsNumbers.e164(toRaw); // once: the country check, thread, sticky sender and gateway all use it
    if (to == null) throw ApiException.badField("to", "must be a phone number of 3 to 15 digits", toRaw);
    JsonNode msgNode = b.get("message");
    if (msgNode == null || msgNode.isNull() || (msgNode.isTextual() && msgNode.asText().isEmpty())) {
      throw ApiException.badField("message", "is required", null);
    }
    if (!msgNode.isTextual()) throw ApiException.badField("message", "must be a string", msgNode.toString());
    String text = Fields.wellFormed("message", msgNode.asText());
    if (text.length() > MAX_TEXT) throw ApiException.badField("message", "must be 1 to " + MAX_TEXT + " characters", text.length());
    String custom = MessagingProfileApi.url(b, "custom_callback_url", null, null, 255);
    if (custom != null && custom.length() < 10) throw ApiException.badField("custom_callback_url", "must be 10 to 255 characters", custom);
    String commandId = Fields.str(b, "command_id", null);
    if (commandId != null && (commandId.isBlank() || commandId.length() > 255)) {
      throw ApiException.badField("command_id", "must be 1 to 255 characters", commandId);
    }
    String fromField = b.has("from") ? "from" : "tn";
    String fromRaw = text(b, fromField);
    String poolId = Fields.uuidRef(b, "messaging_profile", null);
    if (fromRaw == null && poolId == null) {
      throw ApiException.badField("from", "a sender is required: from (or tn), or messaging_profile to send from its pool", null);
    }
    String fromTn = fromRaw == null ? null : CallerId.canonicalTn(fromRaw);
    if (fromRaw != null && fromTn == null) throw ApiException.badField(fromField, "must be a phone number", fromRaw);
    Segmenter.Result seg = Segmenter.segment(text);
    int maxParts = p.sms.settings().maxParts();
    if (seg.count() > maxParts) {
      throw ApiException.badField("message", "needs " + seg.count() + " SMS parts (" + seg.coding() + "); at most "
          + maxParts + " are sent", text.length());
    }
    String id = commandId == null ? UUID.randomUUID().toString()
        : UUID.nameUUIDFromBytes((account + ":sms:" + commandId).getBytes(StandardCharsets.UTF_8)).toString();
    CompletionStage<Message> existing = commandId == null ? CompletableFuture.completedFuture(null)
        : message(id, account).exceptionally(e -> null);
    return existing.thenCompose(found -> {
      // a repeat is answered with the message; one refused for want of balance is tried again (topped up since?)
      if (found != null && !found.refusedForBalance()) return CompletableFuture.completedFuture(accepted(found));
      CompletionStage<Sender> sender = fromTn != null ? fromNumber(account, fromTn, fromField) : fromPool(account, poolId, to);
      return sender.thenCompose(s -> {
        String country = SmsNumbers.country(p.geo, to);
        if (!s.profile().allows(country)) {
          throw new ApiException(406, "Country Permission Violation", Map.of("to", field(
              "destination country " + (country == null ? "unknown" : country) + " is not permitted by messaging profile "
                  + s.profile().uuid() + " (whitelisted_destinations " + s.profile().whitelistedDestinations() + ")", toRaw)));
        }
        // the message's entity takes its parts from the balance (once, also after a crash) before it sends it
        Instant now = Instant.now();
        Profile pr = s.profile();
        Message m = new Message(id, SmsMessage.OUT, account, s.tn(), to, text, seg.coding(), seg.count(),
            SmsNumbers.thread(s.tn(), to), s.tn(), pr.uuid(), pr.name(), pr.callbackUrl(), pr.callbackUrl2(), custom,
            s.pool(), "created", false, null, null, null, null, null, 0, SmsMessage.Phase.CHARGING, null, now, now);
        return p.sharding.entityRefFor(SmsMessageEntity.TYPE_KEY, id)
            .<Message>askWithStatus(r -> new SmsMessageEntity.Send(m, r), p.askTimeout)
            .thenApply(SmsApi::accepted);
      });
    });
  }

  /**
   * The answer to a send: the message, unless its entity refused it for the balance (405 Insufficient Balance; 503
   * when the balance could not be reached; nothing was sent either way).
   */
  private static Reply accepted(Message m) {
    if (m.refusedForBalance()) {
      throw new ApiException(405, "Insufficient Balance", Map.of("message", field(m.detail(), m.parts())));
    }
    if ("failed".equals(m.state()) && "balance_unavailable".equals(m.reason())) {
      throw new ApiException(503, "Service Unavailable: " + m.detail());
    }
    return Reply.ok(SmsJson.message(m));
  }

  private static Map<String, Object> field(String message, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message", message);
    m.put("value", value);
    return m;
  }

  private record Sender(String tn, Profile profile, boolean pool) {}

  /** The account's SMS-enabled number {@code tn} and its active profile; else a 400 naming {@code field}. */
  private CompletionStage<Sender> fromNumber(String account, String tn, String field) {
    return asks.<TnEntity.Lease>tn(tn, r -> new TnEntity.Get(account, r))
        .exceptionally(e -> {
          throw ApiException.badField(field, "is not a number of the account", tn);
        })
        .thenCompose(l -> {
          if (!l.smsEnabled()) throw ApiException.badField(field, "SMS is not enabled on this number", tn);
          return profiles.<Profile>profile(l.messagingProfile(), r -> new MessagingProfileEntity.Get(account, r))
              .exceptionally(e -> {
                throw ApiException.badField(field, "the number's messaging profile no longer exists", tn);
              });
        })
        .thenApply(pr -> {
          if (!pr.isActive()) throw ApiException.badField(field, "the number's messaging profile is not active", tn);
          return new Sender(tn, pr, false);
        });
  }

  /** A sender picked from the pool of the account's active profile {@code uuid}; else a 400. */
  private CompletionStage<Sender> fromPool(String account, String uuid, String to) {
    return profiles.<Profile>profile(uuid, r -> new MessagingProfileEntity.Get(account, r))
        .exceptionally(e -> {
          throw ApiException.badField("messaging_profile", "unknown messaging profile", uuid);
        })
        .thenCompose(pr -> {
          if (!pr.isActive()) throw ApiException.badField("messaging_profile", "is not active", uuid);
          if (pr.tns().isEmpty()) throw ApiException.badField("messaging_profile", "has no SMS-enabled numbers", uuid);
          return pick(account, pr, to, new ArrayList<>(pr.tns()), 0);
        });
  }

  /** How many numbers a pool send tries before giving up when picked numbers turn out to have left the profile. */
  static final int POOL_PICKS = 5;

  /**
   * Picks a sender among {@code candidates} and checks its lease (the truth; the profile's list is a copy): still
   * the account's, SMS-enabled, on this profile. A number that is not is taken off the profile and another picked,
   * {@link #POOL_PICKS} times at most (then 409); none left: 400.
   */
  private CompletionStage<Sender> pick(String account, Profile pr, String to, List<String> candidates, int tries) {
    if (candidates.isEmpty()) {
      throw ApiException.badField("messaging_profile", "has no SMS-enabled numbers of the account", pr.uuid());
    }
    SmsPool.Settings set = new SmsPool.Settings(pr.stickySender(), pr.longCodeWeight(), pr.tollfreeWeight(),
        pr.skipUnhealthyTns());
    return p.sharding.entityRefFor(SmsPoolEntity.TYPE_KEY, pr.uuid())
        .<SmsPoolEntity.Chosen>ask(r -> new SmsPoolEntity.Pick(List.copyOf(candidates), to, set, r), p.askTimeout)
        .thenCompose(c -> {
          if (c.tn() == null) throw ApiException.badField("messaging_profile", "has no number to send from", pr.uuid());
          return p.sharding.entityRefFor(TnEntity.TYPE_KEY, c.tn()).<TnEntity.Lease>ask(TnEntity.Peek::new, p.askTimeout)
              .thenCompose(l -> {
                if (account.equals(l.accountId()) && l.smsEnabled() && pr.uuid().equals(l.messagingProfile())) {
                  return CompletableFuture.completedFuture(new Sender(c.tn(), pr, true));
                }
                log.warn("messaging profile {}: number {} is in its pool but its lease is not (account {}, profile {},"
                    + " sms {}); taking it off", pr.uuid(), c.tn(), l.accountId(), l.messagingProfile(), l.smsEnabled());
                ProfileNumbers.detach(p.sharding, p.system, p.askTimeout, pr.uuid(), c.tn());
                if (tries + 1 >= POOL_PICKS) {
                  throw new ApiException(409, "Conflict", Map.of("messaging_profile", field("its pool's numbers changed "
                      + "while picking a sender; try again", pr.uuid())));
                }
                candidates.remove(c.tn());
                return pick(account, pr, to, candidates, tries + 1);
              });
        });
  }

  private CompletionStage<Message> message(String id, String account) {
    return p.sharding.entityRefFor(SmsMessageEntity.TYPE_KEY, id)
        .askWithStatus(r -> new SmsMessageEntity.Get(account, r), p.askTimeout);
  }

  private CompletionStage<Reply> one(Req req, String direction) {
    String uuid = req.var("uuid");
    if (!Fields.isUuid(uuid)) throw ApiException.notFound();
    return message(uuid.toLowerCase(Locale.ROOT), req.principal().accountId())
        .exceptionally(e -> {
          throw ApiException.notFound();
        })
        .thenApply(m -> {
          if (!direction.equals(m.direction())) throw ApiException.notFound();
          return Reply.ok(SmsJson.message(m));
        });
  }

  /** The SMS log: {@code direction} null for both (the combined search, {@code type} sms|smsi). */
  private CompletionStage<Reply> search(Req req, String direction) {
    ObjectNode b = req.json();
    Search.Paging paging = Search.paging(req, b);
    boolean anyOf = Search.anyOf(b);
    List<Search.Order> order = Search.order(b, List.copyOf(ORDER.keySet()), new Search.Order("created_on", true));
    List<Cond> where = new ArrayList<>();
    like(b, "tn", "tn", true, where);
    like(b, "from", "from_number", false, where);
    like(b, "to", "to_number", false, where);
    String message = Search.text(b, "message");
    if (message != null) {
      // '*' is the only wildcard; LIKE's own ('%', '_') and its escape are matched as themselves
      StringBuilder lk = new StringBuilder("%");
      for (char ch : message.toCharArray()) {
        if (ch == '*') lk.append('%');
        else if (ch == '%' || ch == '_' || ch == '\\') lk.append('\\').append(ch);
        else lk.append(ch);
      }
      where.add(Cond.of("message LIKE ? ESCAPE '\\'", lk.append('%').toString()));
    }
    String thread = Search.text(b, "thread");
    if (thread != null) where.add(Cond.of("thread = ?", thread.toLowerCase(Locale.ROOT)));
    Boolean delivered = Search.bool(b, "delivered");
    if (delivered != null) where.add(Cond.of("delivered = ?", delivered));
    String state = Search.oneOf(b, "state", "created", "sending", "sent", "success", "failed");
    if (state != null) where.add(Cond.of("state = ?", state));
    String ref = Search.text(b, "reference_id");
    if (ref != null) where.add(Cond.of("reference_id = ?", ref));
    String profile = Search.uuid(b, "messaging_profile");
    if (profile != null) where.add(Cond.of("messaging_profile = ?", profile));
    Boolean readed = Search.bool(b, "readed");
    if (readed != null && readed) where.add(Cond.of("1 = 0")); // nothing is marked read yet
    String type = direction == null ? Search.oneOf(b, "type", "sms", "smsi", "smso") : null;
    String dir = direction != null ? direction : type == null ? null : type.equals("smsi") ? SmsMessage.IN : SmsMessage.OUT;
    Instant from = Search.instant(b, "created_on_from");
    Instant until = Search.instant(b, "created_on_to");
    if (from != null) where.add(Cond.of("created_on >= ?", from));
    if (until != null) where.add(Cond.of("created_on < ?", until));
    Instant mFrom = Search.instant(b, "modified_on_from");
    Instant mUntil = Search.instant(b, "modified_on_to");
    if (mFrom != null) where.add(Cond.of("modified_on >= ?", mFrom));
    if (mUntil != null) where.add(Cond.of("modified_on < ?", mUntil));
    List<Sort> sorts = new ArrayList<>();
    for (Search.Order o : order) sorts.add(new Sort(ORDER.get(o.field()), o.descending()));
    sorts.add(new Sort("uuid", false));
    String account = req.principal().accountId();
    Cond scope = dir == null ? Cond.of("account = ?", account) : Cond.of("account = ? AND direction = ?", account, dir);
    return p.callLog.run(c -> CallLogStore.page(c, "sms_log", SmsLogStore.COLUMNS, scope, where, anyOf, sorts,
            paging.take(), paging.skip()))
        .thenApply(page -> Reply.ok(Search.page(paging, anyOf, order, page.total(),
            page.rows().stream().map(r -> rowJson(r, direction == null)).toList())));
  }

  private static void like(ObjectNode b, String f, String column, boolean numberOnly, List<Cond> where) {
    String v = Search.text(b, f);
    if (v != null) where.add(Cond.of(column + " LIKE ?", Search.likeMask(f, v, numberOnly)));
  }

  /** A log row: the combined search's {@code SMSISMS} shape (type sms|smsi), else the message of its direction. */
  static Map<String, Object> rowJson(Map<String, Object> r, boolean combined) {
    boolean out = SmsMessage.OUT.equals(r.get("direction"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", r.get("uuid"));
    m.put("type", combined ? (out ? "sms" : "smsi") : (out ? "smso" : "smsi"));
    m.put("thread", r.get("thread"));
    m.put("from", r.get("from_number"));
    m.put("to", r.get("to_number"));
    m.put("message", r.get("message"));
    m.put("state", r.get("state"));
    m.put("delivered", r.get("delivered"));
    m.put("readed", false);
    m.put("automated", false);
    m.put("reason", r.get("reason"));
    m.put("detail", r.get("detail"));
    m.put("parts", r.get("parts"));
    m.put("encoding", r.get("encoding"));
    m.put("gateway", r.get("gateway"));
    m.put("reference_id", r.get("reference_id"));
    m.put("tn", Map.of("tn", SmsJson.number(String.valueOf(r.get("tn")))));
    m.put("messaging_profile", r.get("messaging_profile"));
    m.put("account_uuid", r.get("account"));
    m.put("created_on", Json.iso((Instant) r.get("created_on")));
    m.put("modified_on", Json.iso((Instant) r.get("modified_on")));
    return m;
  }
}
