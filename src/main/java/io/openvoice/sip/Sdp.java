package io.openvoice.sip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The little of SDP (RFC 4566 / 3264) a G.711 voice edge needs: read an audio offer (connection address, port,
 * payload types with their rtpmap names, direction) and write an answer or an offer of our own.
 */
public final class Sdp {
  private Sdp() {}

  /** An audio stream description: where to send, the payload types in preference order, their encodings. */
  public record Media(String address, int port, List<Integer> payloadTypes, Map<Integer, String> rtpmap,
                      String direction) {
    /** The telephone-event payload type, or -1. */
    public int telephoneEvent() {
      for (var e : rtpmap.entrySet()) {
        if (e.getValue().toLowerCase(Locale.ROOT).startsWith("telephone-event/")) return e.getKey();
      }
      return -1;
    }

    /** The encoding name of a payload type (static ones by number when there is no rtpmap). */
    public String encoding(int pt) {
      String m = rtpmap.get(pt);
      if (m != null) return m.split("/")[0].toUpperCase(Locale.ROOT);
      return switch (pt) {
        case 0 -> "PCMU";
        case 8 -> "PCMA";
        default -> "";
      };
    }

    /** True when the other side puts us on hold (it will not receive). */
    public boolean onHold() {
      return "sendonly".equals(direction) || "inactive".equals(direction) || "0.0.0.0".equals(address);
    }
  }

  /** The first audio stream of an SDP body; IllegalArgumentException when there is none or it is malformed. */
  public static Media parseAudio(String sdp) {
    if (sdp == null || sdp.isBlank()) throw new IllegalArgumentException("no SDP");
    String sessionAddress = null;
    String mediaAddress = null;
    int port = -1;
    List<Integer> pts = new ArrayList<>();
    Map<Integer, String> rtpmap = new LinkedHashMap<>();
    String sessionDirection = "sendrecv";
    String direction = null;
    boolean inAudio = false;
    boolean seenAudio = false;
    for (String raw : sdp.split("\r?\n")) {
      String line = raw.trim();
      if (line.length() < 2 || line.charAt(1) != '=') continue;
      char type = line.charAt(0);
      String value = line.substring(2).trim();
      if (type == 'm') {
        if (seenAudio) {
          inAudio = false;
          continue;
        }
        String[] f = value.split("\\s+");
        inAudio = f.length >= 4 && f[0].equals("audio");
        if (!inAudio) continue;
        seenAudio = true;
        try {
          port = Integer.parseInt(f[1].split("/")[0]);
          for (int i = 3; i < f.length; i++) pts.add(Integer.parseInt(f[i]));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("malformed m=audio line: " + value);
        }
      } else if (type == 'c') {
        String[] f = value.split("\\s+");
        if (f.length < 3) throw new IllegalArgumentException("malformed c= line: " + value);
        String addr = f[2].split("/")[0];
        if (inAudio) mediaAddress = addr; else if (!seenAudio) sessionAddress = addr;
      } else if (type == 'a' && (inAudio || !seenAudio)) {
        if (value.startsWith("rtpmap:") && inAudio) {
          String[] f = value.substring(7).split("\\s+", 2);
          try {
            if (f.length == 2) rtpmap.put(Integer.parseInt(f[0]), f[1].trim());
          } catch (NumberFormatException ignored) {
            // an rtpmap we cannot read names a payload type we will not choose
          }
        } else if (value.equals("sendrecv") || value.equals("sendonly") || value.equals("recvonly")
            || value.equals("inactive")) {
          if (inAudio) direction = value; else sessionDirection = value;
        }
      }
    }
    if (!seenAudio || port < 0) throw new IllegalArgumentException("no audio stream in the SDP");
    String address = mediaAddress != null ? mediaAddress : sessionAddress;
    if (address == null) throw new IllegalArgumentException("no connection address in the SDP");
    return new Media(address, port, List.copyOf(pts), Map.copyOf(rtpmap), direction != null ? direction : sessionDirection);
  }

  /**
   * An SDP body with one audio stream: {@code payloadType} (PCMU 0 or PCMA 8) and, when {@code dtmfPt >= 0},
   * telephone-event; ptime 20.
   */
  public static String audio(String address, int port, long sessionId, long version, int payloadType, int dtmfPt,
                             String direction) {
    return audio(address, port, sessionId, version, List.of(payloadType), dtmfPt, direction);
  }

  /** Our offer for a call we place: PCMU, PCMA and telephone-event 101. */
  public static String offer(String address, int port, long sessionId, String direction) {
    return audio(address, port, sessionId, 1, List.of(0, 8), 101, direction);
  }

  /** An SDP body with one audio stream of these G.711 payload types (in preference order). */
  public static String audio(String address, int port, long sessionId, long version, List<Integer> payloadTypes,
                             int dtmfPt, String direction) {
    String ip = address.contains(":") ? "IP6" : "IP4";
    StringBuilder b = new StringBuilder();
    b.append("v=0\r\n");
    b.append("o=openvoice ").append(sessionId).append(' ').append(version).append(" IN ").append(ip).append(' ')
        .append(address).append("\r\n");
    b.append("s=openvoice\r\n");
    b.append("c=IN ").append(ip).append(' ').append(address).append("\r\n");
    b.append("t=0 0\r\n");
    b.append("m=audio ").append(port).append(" RTP/AVP");
    for (int pt : payloadTypes) b.append(' ').append(pt);
    if (dtmfPt >= 0) b.append(' ').append(dtmfPt);
    b.append("\r\n");
    for (int pt : payloadTypes) {
      b.append("a=rtpmap:").append(pt).append(pt == 8 ? " PCMA/8000" : " PCMU/8000").append("\r\n");
    }
    if (dtmfPt >= 0) {
      b.append("a=rtpmap:").append(dtmfPt).append(" telephone-event/8000\r\n");
      b.append("a=fmtp:").append(dtmfPt).append(" 0-16\r\n");
    }
    b.append("a=ptime:20\r\n");
    b.append("a=").append(direction == null ? "sendrecv" : direction).append("\r\n");
    return b.toString();
  }

  /** The answer's direction for an offer's: we send and receive unless the offer says otherwise. */
  public static String answerDirection(String offered) {
    return switch (offered == null ? "sendrecv" : offered) {
      case "sendonly" -> "recvonly";
      case "recvonly" -> "sendonly";
      case "inactive" -> "inactive";
      default -> "sendrecv";
    };
  }
}
