package io.openvoice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CodecTest {

    @Test
    void staticPayloadTypesAndNamesFollowRfc3551() {
        assertEquals(0, Codec.PCMU.payloadType);
        assertEquals(8, Codec.PCMA.payloadType);
        assertEquals("PCMU", Codec.PCMU.name);
        assertEquals("PCMA", Codec.PCMA.name);
    }

    @Test
    void looksUpByPayloadTypeAndName() {
        assertEquals(Optional.of(Codec.PCMU), Codec.byPayloadType(0));
        assertEquals(Optional.of(Codec.PCMA), Codec.byPayloadType(8));
        assertTrue(Codec.byPayloadType(18).isEmpty());
        assertTrue(Codec.byPayloadType(101).isEmpty());
        assertEquals(Optional.of(Codec.PCMA), Codec.byName("pcma"));
        assertTrue(Codec.byName("opus").isEmpty());
    }
}
