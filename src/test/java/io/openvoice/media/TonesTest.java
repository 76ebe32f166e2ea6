package io.openvoice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TonesTest {

    private static final int[] DTMF_ALL = {697, 770, 852, 941, 1209, 1336, 1477, 1633};

    @Test
    void singleToneHasTheRequestedDurationAndFrequency() {
        Audio a = Tones.tone(new int[] {440}, 1000, 0, 1, 0);
        assertEquals(8000, a.samples());
        assertEquals(1000, a.durationMs());
        double at440 = Signals.power(a, 440);
        assertTrue(at440 > 1000 * Signals.power(a, 1000), "energy concentrated at 440 Hz");
        assertTrue(at440 > 1000 * Signals.power(a, 350));
    }

    @Test
    void cadenceAlternatesToneAndSilenceForEachLoop() {
        // ringback-like 440+480 Hz: 200 ms on, 300 ms off, three times
        Audio a = Tones.tone(new int[] {440, 480}, 200, 300, 3, -6);
        assertEquals(1500, a.durationMs());
        short[] pcm = a.pcm();
        for (int loop = 0; loop < 3; loop++) {
            int on = loop * 4000;
            int off = on + 1600;
            assertTrue(Signals.rms(pcm, on + 100, on + 1500) > 1000, "tone in loop " + loop);
            assertEquals(0, Signals.rms(pcm, off, off + 2400), 0.0, "silence in loop " + loop);
            double p440 = Signals.power(pcm, on, on + 1600, 440, 8000);
            double p480 = Signals.power(pcm, on, on + 1600, 480, 8000);
            double p1000 = Signals.power(pcm, on, on + 1600, 1000, 8000);
            assertTrue(p440 > 100 * p1000 && p480 > 100 * p1000);
        }
    }

    @Test
    void volumeIsRelativeToMinusThreeDbfsPerToneShare() {
        Audio full = Tones.tone(new int[] {1000}, 500, 0, 1, 0);
        Audio quiet = Tones.tone(new int[] {1000}, 500, 0, 1, -20);
        double fullPeak = 32767 * Math.pow(10, -3 / 20.0);
        assertEquals(fullPeak, full.peak(), fullPeak * 0.01);
        assertEquals(full.rms() / 10, quiet.rms(), full.rms() * 0.01);
        Audio dual = Tones.tone(new int[] {350, 440}, 500, 0, 1, 0);
        assertTrue(dual.peak() <= fullPeak + 1, "sum of tones must not exceed -3 dBFS");
    }

    @Test
    void everyDtmfDigitContainsExactlyItsTwoFrequencies() {
        String keys = "123A456B789C*0#D";
        for (int k = 0; k < keys.length(); k++) {
            char key = keys.charAt(k);
            Audio a = Tones.dtmf(key, 100);
            assertEquals(800, a.samples());
            int low = new int[] {697, 770, 852, 941}[k / 4];
            int high = new int[] {1209, 1336, 1477, 1633}[k % 4];
            double pLow = Signals.power(a, low);
            double pHigh = Signals.power(a, high);
            for (int f : DTMF_ALL) {
                if (f != low && f != high) {
                    double other = Signals.power(a, f);
                    assertTrue(pLow > 20 * other && pHigh > 20 * other, key + ": " + f + " Hz too strong");
                }
            }
            assertEquals(1.0, pLow / pHigh, 0.2, key + ": both tones at similar level");
        }
    }

    @Test
    void dtmfAcceptsLowerCaseLettersAndRejectsOtherCharacters() {
        assertEquals(Tones.dtmf('A', 60), Tones.dtmf('a', 60));
        assertThrows(IllegalArgumentException.class, () -> Tones.dtmf('E', 100));
        assertThrows(IllegalArgumentException.class, () -> Tones.dtmf('5', 0));
    }

    @Test
    void rejectsInvalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> Tones.tone(new int[0], 100, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Tones.tone(new int[] {1, 2, 3, 4, 5}, 100, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Tones.tone(new int[] {19}, 100, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Tones.tone(new int[] {4001}, 100, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Tones.tone(new int[] {440}, 100, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Tones.tone(new int[] {440}, 100, -1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Tones.tone(new int[] {440}, 100, 0, 1, Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> Tones.tone(new int[] {440}, 1_000_000, 1_000_000, 1_000_000, 0));
    }
}
