package io.openvoice.events;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The node's internal event bus: a cluster-wide topic, so a subscriber on any node sees the events of calls on
 * every node. WebSocket fan-out, webhooks and logs (their own issues) subscribe here; so do the simulator and tests.
 */
public final class EventBus {
  private final ActorRef<Topic.Command<PlatformEvent>> topic;

  public EventBus(ActorSystem<?> system) {
    this.topic = system.systemActorOf(Topic.create(PlatformEvent.class, "platform-events"), "platform-events-topic",
        org.apache.pekko.actor.typed.Props.empty());
  }

  public void publish(PlatformEvent event) {
    topic.tell(Topic.publish(event));
  }

  public void subscribe(ActorRef<PlatformEvent> subscriber) {
    topic.tell(Topic.subscribe(subscriber));
  }

  public void unsubscribe(ActorRef<PlatformEvent> subscriber) {
    topic.tell(Topic.unsubscribe(subscriber));
  }
}
