package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.batch.BatchEntity;
import io.openvoice.common.Json;
import io.openvoice.node.Platform;
import io.openvoice.number.TnEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Bulk calls (reference 3.9): {@code POST /rest/batch {phones, xml, tn_lease, outbound_voice_profile?}} places one
 * call per phone from the lease's number, paced by the account's calls-per-second limit; {@code GET
 * /rest/batch/{uuid}} follows its progress.
 */
final class BatchApi {
  static final int MAX_PHONES = 10_000;

  private final Platform p;
  private final Asks asks;
  private final NumberApi numbers;

  BatchApi(Platform p, Asks asks, NumberApi numbers) {
    this.p = p;
    this.asks = asks;
    this.numbers = numbers;
  }

  void register(Router r) {
    r.add("POST", "/rest/batch", this::create);
    r.add("GET", "/rest/batch/{uuid}", req -> {
      String id = req.var("uuid");
      if (!Fields.isUuid(id)) throw ApiException.notFound();
      return p.sharding.entityRefFor(BatchEntity.TYPE_KEY, id)
          .<BatchEntity.Batch>askWithStatus(x -> new BatchEntity.Get(req.principal().accountId(), x), p.askTimeout)
          .thenApply(b -> Reply.ok(json(b)));
    });
  }

  private CompletionStage<Reply> create(Req req) {
    ObjectNode b = req.json();
    String account = req.principal().accountId();
    JsonNode arr = b.get("phones");
    if (arr == null || !arr.isArray() || arr.isEmpty()) throw ApiException.badField("phones", "must be a non-empty array of numbers", null);
    if (arr.size() > MAX_PHONES) throw ApiException.badField("phones", "at most " + MAX_PHONES + " numbers a batch", arr.size());
    List<String> phones = new ArrayList<>();
    for (JsonNode n : arr) {
      String v = n.isNumber() ? n.asText() : n.isTextual() ? n.asText().trim() : null;
      if (v == null || !v.matches("\\+?[0-9]{3,15}")) throw ApiException.badField("phones", "each must be a number (E.164 digits)", n.toString());
      phones.add(v);
    }
    String xml = Fields.str(b, "xml", null);
    if (xml == null || xml.isBlank()) throw ApiException.badField("xml", "is required", null);
    AppApi.validate(xml);
    String givenLease = b.hasNonNull("tn_lease") ? b.get("tn_lease").asText() : null;
    String profile = Fields.uuidRef(b, "outbound_voice_profile", null);
    if (givenLease == null && profile == null) {
      throw ApiException.badField("tn_lease", "is required: the lease of the calling number", null);
    }
    String commandId = b.hasNonNull("command_id") ? CallApi.commandIdOf(b.get("command_id").asText()) : CallApi.commandId(req);
    String uuid = commandId == null ? UUID.randomUUID().toString() : CallApi.keyedId("batch", account, commandId);
    return asks.activeProfile(account, profile)
        .thenCompose(pr -> {
          // the calling number: the lease given, else the profile's
          String lease = givenLease != null ? givenLease : pr.tnLease();
          String field = givenLease != null ? "tn_lease" : "outbound_voice_profile";
          if (lease == null) throw ApiException.badField("tn_lease", "is required: the profile has no tn_lease", null);
          return numbers.resolve(req, lease)
              .thenCompose(tn -> asks.<TnEntity.Lease>tn(tn, r -> new TnEntity.Get(account, r)))
              .exceptionally(e -> {
                Throwable t = io.openvoice.common.Errors.unwrap(e);
                if (t instanceof ApiException a) throw a;
                throw ApiException.badField(field, "must be one of your TN leases", lease);
              });
        })
        .thenCompose(l -> {
          Instant now = Instant.now();
          BatchEntity.Batch batch = new BatchEntity.Batch(uuid, account, l.tn(), l.uuid(), List.copyOf(phones), xml,
              "processing", 0, 0, 0, now, now, profile);
          return p.sharding.entityRefFor(BatchEntity.TYPE_KEY, uuid)
              .<BatchEntity.Batch>askWithStatus(r -> new BatchEntity.Create(batch, r), p.askTimeout)
              .thenApply(saved -> Reply.created(json(saved)))
              .exceptionallyCompose(e -> commandId == null ? java.util.concurrent.CompletableFuture.failedFuture(e)
                  : repeated(req, uuid, commandId));
        });
  }

  /**
   * A batch repeated with its {@code command_id}: within 60 s acknowledged with the batch it created (200, no
   * second batch); later the key is spent (409).
   */
  private CompletionStage<Reply> repeated(Req req, String uuid, String commandId) {
    return p.sharding.entityRefFor(BatchEntity.TYPE_KEY, uuid)
        .<BatchEntity.Batch>askWithStatus(x -> new BatchEntity.Get(req.principal().accountId(), x), p.askTimeout)
        .thenApply(existing -> {
          if (existing.createdOn().isAfter(Instant.now().minusSeconds(60))) return Reply.ok(json(existing));
          throw new ApiException(409, "command_id " + commandId + " created batch " + uuid
              + " more than 60 s ago; use a new command_id for a new batch");
        });
  }

  static Map<String, Object> json(BatchEntity.Batch b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", b.uuid());
    m.put("type", "call_xml");
    m.put("state", b.state());
    m.put("phones", b.phones().stream().map(NumberApi::tnNumber).toList());
    m.put("xml", b.xml());
    m.put("outbound_voice_profile", b.outboundVoiceProfile() == null ? null : Map.of("uuid", b.outboundVoiceProfile()));
    m.put("tn_lease", Map.of("uuid", b.leaseUuid(), "tn", NumberApi.tnNumber(b.tn())));
    m.put("total", b.phones().size());
    m.put("processed", b.next());
    m.put("started", b.started());
    m.put("failed", b.failed());
    m.put("created_on", Json.iso(b.createdOn()));
    m.put("modified_on", Json.iso(b.modifiedOn()));
    return m;
  }
}
