package io.openvoice.call;

import io.openvoice.events.PlatformEvent;

/**
 * Where a call entity hands the events of a call whose app has a {@code webhook_url}. Implementations only
 * {@code tell} (the app's webhook dispatcher): a call never waits for, nor is slowed by, a webhook.
 */
public interface WebhookPort {
  /**
   * @param app the app as of call start (webhook URL, method, timeout, fallback URL)
   * @param state the call's state when the event happened (GET webhooks send it in the query)
   */
  void deliver(CallSpec.AppSnapshot app, String callId, String state, String from, String to, PlatformEvent event);

  /** Delivers nothing (a node or test without webhooks). */
  WebhookPort NONE = (app, callId, state, from, to, event) -> { };
}
