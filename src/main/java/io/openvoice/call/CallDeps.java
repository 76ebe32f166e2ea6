package io.openvoice.call;

import io.openvoice.events.EventBus;
import io.openvoice.geo.GeoLookup;
import java.time.Duration;

/**
 * What a call entity needs from its node: the media implementations, outbound HTTP, the event bus, caller
 * geography, the watchdog bound on any single step, the app webhooks' dispatchers, and the node's metrics.
 */
public record CallDeps(MediaPorts media, HttpPort http, EventBus bus, GeoLookup geo, Duration maxStepWait,
                       WebhookPort webhooks, CallProbe probe) {}
