package io.openvoice.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class Rfc4733Test {

    @Test
    void encodesTheSpecLayout() {
        byte[] b = Rfc4733.encode(new Rfc4733.Event(5, true, 10, 800));
        assertArrayEquals(new byte[] {5, (byte) 0x8A, 0x03, 0x20}, b);
        byte[] notEnd = Rfc4733.encode(new Rfc4733.Event(11, false, 63, 0xFFFF));
        assertArrayEquals(new byte[] {11, 0x3F, (byte) 0xFF, (byte) 0xFF}, notEnd);
    }

    @Test
    void parsesTheSpecLayoutAtAnOffset() {
        byte[] packet = {0x55, 0x55, 9, (byte) 0x87, 0x01, (byte) 0x40};
        Rfc4733.Event e = Rfc4733.parse(packet, 2, 4).orElseThrow();
        assertEquals(9, e.event());
        assertTrue(e.end());
        assertEquals(7, e.volume());
        assertEquals(320, e.duration());
        assertEquals('9', e.digit());
    }

    @Test
    void ignoresTheReservedBit() {
        Rfc4733.Event e = Rfc4733.parse(new byte[] {1, 0x4A, 0, (byte) 160}, 0, 4).orElseThrow();
        assertFalse(e.end());
        assertEquals(10, e.volume());
        assertEquals(160, e.duration());
    }

    @Test
    void roundTripsEveryDigit() {
        for (char c : "0123456789*#ABCD".toCharArray()) {
            Rfc4733.Event e = new Rfc4733.Event(Rfc4733.eventOf(c), c % 2 == 0, 10, 1234);
            assertEquals(Optional.of(e), Rfc4733.parse(Rfc4733.encode(e), 0, 4));
            assertEquals(c, e.digit());
        }
    }

    @Test
    void mapsDigitsToEventCodes() {
        assertEquals(0, Rfc4733.eventOf('0'));
        assertEquals(9, Rfc4733.eventOf('9'));
        assertEquals(10, Rfc4733.eventOf('*'));
        assertEquals(11, Rfc4733.eventOf('#'));
        assertEquals(12, Rfc4733.eventOf('A'));
        assertEquals(15, Rfc4733.eventOf('d'));
        assertEquals(-1, Rfc4733.eventOf('E'));
        assertEquals(-1, Rfc4733.eventOf(' '));
        assertEquals('?', new Rfc4733.Event(16, false, 0, 0).digit()); // flash
        assertEquals('?', new Rfc4733.Event(255, false, 0, 0).digit());
    }

    @Test
    void rejectsShortOrOutOfRangeInput() {
        assertTrue(Rfc4733.parse(new byte[] {1, 2, 3}, 0, 3).isEmpty());
        assertTrue(Rfc4733.parse(new byte[] {1, 2, 3, 4}, 1, 4).isEmpty());
        assertTrue(Rfc4733.parse(new byte[] {1, 2, 3, 4}, -1, 4).isEmpty());
        assertTrue(Rfc4733.parse(null, 0, 4).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new Rfc4733.Event(1, false, 64, 0));
        assertThrows(IllegalArgumentException.class, () -> new Rfc4733.Event(1, false, 0, 65536));
        assertThrows(IllegalArgumentException.class, () -> new Rfc4733.Event(256, false, 0, 0));
    }
}
