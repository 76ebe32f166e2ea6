package io.openvoice.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.account.IndexEntity;
import io.openvoice.app.AppEntity;
import io.openvoice.call.CallEntity;
import io.openvoice.number.TnEntity;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;

/**
 * Replies to asks travel between nodes when the entity lives elsewhere: each real reply of each entity is
 * serialized with the configured serializer and read back equal (Java serialization is off, so a reply type
 * without a binding would fail here rather than as a timeout in production).
 */
class RepliesSerializeTest {

  @Test
  void everyEntityReplyRoundTripsThroughItsSerializer() throws Exception {
    try (TestNode n = TestNode.start(Files.createTempDirectory("openvoice-ser"), "")) {
      String app = n.hostedApp("ser", "<Response><Answer/><Say>hi</Say></Response>");
      JsonNode order = n.call("POST", "/rest/order", "{\"items\":[{\"tn\":19735550140}]}", 201).path("payload");
      String lease = order.path("tnleases").get(0).path("uuid").asText();
      String call = n.call("POST", "/rest/sip/app/" + app + "/simulate", "{\"from\":\"+12015550123\",\"to\":\"+12025550999\"}", 200)
          .path("payload").path("call").path("uuid").asText();
      String token = n.call("POST", "/rest/token", "{\"name\":\"t\"}", 201).path("payload").path("uuid").asText();
      String account = n.call("GET", "/rest/account", null, 200).path("payload").path("uuid").asText();

      ClusterSharding sharding = n.node.platform().sharding;
      Duration t = Duration.ofSeconds(5);
      List<Object> replies = new ArrayList<>();
      replies.add(sharding.entityRefFor(AccountEntity.TYPE_KEY, account)
          .askWithStatus(AccountEntity.Get::new, t).toCompletableFuture().get());
      replies.add(sharding.entityRefFor(AccountEntity.TYPE_KEY, account)
          .<AccountEntity.RemovedTokens>askWithStatus(r -> new AccountEntity.RemoveTokens(token, null, r), t).toCompletableFuture().get());
      replies.add(sharding.entityRefFor(IndexEntity.TYPE_KEY, IndexEntity.leaseId(lease))
          .ask(IndexEntity.Get::new, t).toCompletableFuture().get().orElseThrow());
      replies.add(sharding.entityRefFor(IndexEntity.TYPE_KEY, IndexEntity.loginId(TestNode.ADMIN))
          .ask(IndexEntity.Get::new, t).toCompletableFuture().get().orElseThrow());
      replies.add(sharding.entityRefFor(TnEntity.TYPE_KEY, "19735550140")
          .<TnEntity.Lease>askWithStatus(r -> new TnEntity.Get(account, r), t).toCompletableFuture().get());
      replies.add(sharding.entityRefFor(TnEntity.TYPE_KEY, "19735550140")
          .<TnEntity.Route>ask(r -> new TnEntity.RouteCall("+12015550123", r), t).toCompletableFuture().get());
      replies.add(sharding.entityRefFor(AppEntity.TYPE_KEY, app)
          .<AppEntity.App>askWithStatus(r -> new AppEntity.Get(account, r), t).toCompletableFuture().get());
      replies.add(sharding.entityRefFor(CallEntity.TYPE_KEY, call)
          .askWithStatus(CallEntity.Get::new, t).toCompletableFuture().get());

      Serialization ser = SerializationExtension.get(n.node.system());
      for (Object reply : replies) {
        var serializer = ser.findSerializerFor(reply);
        byte[] bytes = serializer.toBinary(reply);
        Object back = ser.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, reply)).get();
        assertEquals(reply, back, reply.getClass().getName() + " via " + serializer.getClass().getSimpleName());
      }
    }
  }
}
