package io.openvoice.call;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The media implementations of this node, by {@link CallSpec.MediaHandle#kind()}. */
public final class MediaPorts {
  private final Map<String, MediaPort> ports = new ConcurrentHashMap<>();

  public MediaPorts register(String kind, MediaPort port) {
    ports.put(kind, port);
    return this;
  }

  /** The port for a handle; a handle of an unknown kind gets a port that fails every action. */
  public MediaPort forHandle(CallSpec.MediaHandle handle) {
    MediaPort p = handle == null ? null : ports.get(handle.kind());
    return p != null ? p : MissingMediaPort.INSTANCE;
  }
}
