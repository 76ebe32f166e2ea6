package io.openvoice.events;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.impl.engine.ws.FrameHandler;
import org.apache.pekko.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import org.apache.pekko.http.impl.engine.ws.WebSocket$;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.scaladsl.model.ws.Message;
import org.apache.pekko.http.scaladsl.settings.WebSocketSettings;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import scala.Option;
import scala.concurrent.duration.FiniteDuration;

/**
 * Pekko HTTP's server WebSocket stack with one addition: the handler can close with a code of its own. Pekko's
 * message API closes with 1000 when the handler completes and 1011 when it fails; our protocol needs 4001 (refused
 * authentication) and 1013 (too slow). So the stack is assembled from Pekko's own layers (masking, frame handling,
 * keep-alive pings, message API: exactly what {@code handleMessages} uses) with a layer between keep-alive and the
 * message API that turns the handler's completion or failure into "close with code" when a code was set.
 *
 * <p>This uses Pekko HTTP internals ({@code impl.engine.ws}); they are public in bytecode and stable across the 1.x
 * line, and this class is the only place that touches them.
 */
final class WsStack {
  /** The close frame to send when the handler ends. */
  record Close(int code, String reason) {}

  private WsStack() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static HttpResponse handle(ActorSystem<?> system, WebSocketUpgrade upgrade,
                             Flow<Message, Message, NotUsed> handler, AtomicReference<Close> close) {
    WebSocketSettings settings = (WebSocketSettings) org.apache.pekko.http.javadsl.settings.ServerSettings
        .create(system.settings().config()).getWebsocketSettings();
    WebSocket$ ws = WebSocket$.MODULE$;
    FiniteDuration closeTimeout = ws.stack$default$3();
    LoggingAdapter log = Logging.getLogger(system.classicSystem(), WsStack.class);
    org.apache.pekko.stream.scaladsl.BidiFlow closeLayer = BidiFlow.fromFlows(
        Flow.create(), Flow.create().map(out -> closing(out, close))).asScala();
    org.apache.pekko.stream.scaladsl.BidiFlow masking = ws.masking(true, settings.randomFactory());
    org.apache.pekko.stream.scaladsl.BidiFlow frames = ws.frameHandling(true, closeTimeout, log);
    org.apache.pekko.stream.scaladsl.BidiFlow keepAlive = ws.periodicKeepAlive(settings);
    org.apache.pekko.stream.scaladsl.BidiFlow messages = ws.messageAPI(true, closeTimeout);
    org.apache.pekko.stream.scaladsl.BidiFlow stack = masking.atop(frames).atop(keepAlive).atop(closeLayer).atop(messages);
    return ((UpgradeToWebSocketLowLevel) upgrade).handleFrames(stack.join(handler.asScala()), Option.empty());
  }

  /** The handler's end (completion or failure) becomes a close frame with the chosen code, when there is one. */
  private static Object closing(Object out, AtomicReference<Close> close) {
    if (out == FrameHandler.UserHandlerCompleted$.MODULE$ || out instanceof FrameHandler.UserHandlerErredOut) {
      Close c = close.get();
      if (c != null) return new FrameHandler.ActivelyCloseWithCode(Option.apply(c.code()), c.reason());
    }
    return out;
  }
}
