package io.openvoice.media;

import java.util.Optional;

/** The G.711 codecs the media engine speaks, with their static RTP payload types (RFC 3551). */
public enum Codec {
    PCMU(0, "PCMU"),
    PCMA(8, "PCMA");

    /** Static RTP payload type number. */
    public final int payloadType;
    /** Encoding name as used in SDP {@code a=rtpmap} lines. */
    public final String name;

    Codec(int payloadType, String name) {
        this.payloadType = payloadType;
        this.name = name;
    }

    /** RTP clock rate in Hz (8000 for both G.711 variants). */
    public int clockRate() {
        return 8000;
    }

    public static Optional<Codec> byPayloadType(int pt) {
        for (Codec c : values()) {
            if (c.payloadType == pt) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Looks a codec up by its SDP encoding name, case-insensitively. */
    public static Optional<Codec> byName(String encodingName) {
        if (encodingName == null) {
            return Optional.empty();
        }
        for (Codec c : values()) {
            if (c.name.equalsIgnoreCase(encodingName.trim())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
