package io.openvoice.media;

import java.util.Objects;
import java.util.Optional;

/**
 * RFC 4733 telephone-event payload.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Rfc4733 {

    /** Size of one event block in bytes. */
    public static final int LENGTH = 4;
    private static final int END_BIT = 0x80;
    private static final int VOLUME_MASK = 0x3F;
    private static final String KEYS = "0123456789*#ABCD";

    private Rfc4733() {
    }

    /**
     * One telephone event.
     *
     * @param event    event code 0..255 (0-9 digits, 10 '*', 11 '#', 12-15 A-D)
     * @param end      the E bit: this packet ends the event
     * @param volume   power level 0..63, expressed in -dBm0 (0 is loudest)
     * @param duration duration so far in RTP timestamp units, 0..65535
     */
    public record Event(int event, boolean end, int volume, int duration) {
        public Event {
            if (event < 0 || event > 255) {
                throw new IllegalArgumentException("event must be 0..255, got " + event);
            }
            if (volume < 0 || volume > VOLUME_MASK) {
                throw new IllegalArgumentException("volume must be 0..63, got " + volume);
            }
            if (duration < 0 || duration > 0xFFFF) {
                throw new IllegalArgumentException("duration must be 0..65535, got " + duration);
            }
        }

        /** The DTMF key: 0-9, *, #, A-D; '?' otherwise. */
        public char digit() {
            return event < KEYS.length() ? KEYS.charAt(event) : '?';
        }

        /** True when this event is a DTMF key (codes 0..15). */
        public boolean isDtmf() {
            return event < KEYS.length();
        }
    }

    /** Parses the first event block; empty when fewer than 4 bytes are available or the range is out of bounds. */
    public static Optional<Event> parse(byte[] buf, int offset, int length) {
        if (buf == null || offset < 0 || length < LENGTH || offset > buf.length - LENGTH
                || length > buf.length - offset) {
            return Optional.empty();
        }
        int event = buf[offset] & 0xFF;
        int flags = buf[offset + 1] & 0xFF;
        int duration = ((buf[offset + 2] & 0xFF) << 8) | (buf[offset + 3] & 0xFF);
        return Optional.of(new Event(event, (flags & END_BIT) != 0, flags & VOLUME_MASK, duration));
    }

    /** The 4-byte payload for an event (reserved bit zero). */
    public static byte[] encode(Event e) {
        Objects.requireNonNull(e, "event");
        return new byte[] {
            (byte) e.event(),
            (byte) ((e.end() ? END_BIT : 0) | (e.volume() & VOLUME_MASK)),
            (byte) (e.duration() >>> 8),
            (byte) e.duration()
        };
    }

    /** The event code of a DTMF key (0-9, *, #, A-D, case-insensitive); -1 if not a DTMF key. */
    public static int eventOf(char digit) {
        return KEYS.indexOf(Character.toUpperCase(digit));
    }
}
