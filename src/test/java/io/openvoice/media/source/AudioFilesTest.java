package io.openvoice.media.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.media.Audio;
import io.openvoice.media.Codec;
import io.openvoice.media.G711;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Decoding WAV and MP3 bytes to 8 kHz mono {@link Audio}, recognised by content, with hostile input refused. */
class AudioFilesTest {
  private static final Duration TEN_MINUTES = AudioFiles.DEFAULT_MAX_DURATION;

  @Test
  void stereo44kMp3DecodesToTwoSecondsOfMono8kHzWithBothTones() {
    Audio a = AudioFiles.decode(Fixtures.stereoMp3(), TEN_MINUTES);
    // 2.0 s of audio plus the encoder's start delay and end padding (at most three 1152-sample frames at 44.1 kHz);
    // the Info frame in front carries no audio and adds nothing
    assertTrue(a.samples() >= 16_000 && a.samples() <= 16_000 + 3 * 1152 * 8000 / 44100, a.toString());
    Audio middle = a.slice(4000, 12000);
    double p440 = Fixtures.power(middle, 440);
    double p660 = Fixtures.power(middle, 660);
    double p1000 = Fixtures.power(middle, 1000);
    assertTrue(p440 > 100 * p1000 && p660 > 100 * p1000, "440: " + p440 + " 660: " + p660 + " 1000: " + p1000);
    // each channel at 0.3 of full scale, mixed down: each tone at about 0.15 (amplitude ~4900, power ~A^2/4)
    assertEquals(4915.0 * 4915 / 4, p440, 4915.0 * 4915 / 4 * 0.3);
  }

  @Test
  void mpeg25Mono8kMp3DecodesToOneSecond() {
    Audio a = AudioFiles.decode(Fixtures.monoMp3(), TEN_MINUTES);
    assertTrue(a.samples() >= 8000 && a.samples() <= 8000 + 3 * 576, a.toString());
    Audio middle = a.slice(2000, 6000);
    assertTrue(Fixtures.power(middle, 440) > 100 * Fixtures.power(middle, 1000));
  }

  @Test
  void formatIsRecognisedFromTheBytesNotFromANameOrType() {
    assertEquals(AudioFiles.Format.MP3, AudioFiles.sniff(Fixtures.stereoMp3())); // starts with an ID3v2 tag
    assertEquals(AudioFiles.Format.MP3, AudioFiles.sniff(Fixtures.monoMp3())); // starts with a frame header
    assertEquals(AudioFiles.Format.WAV, AudioFiles.sniff(Fixtures.wav16kStereo(100)));
    assertNull(AudioFiles.sniff("<html>not found</html>".getBytes()));
    assertNull(AudioFiles.sniff(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})); // bad bitrate
    assertNull(AudioFiles.sniff(new byte[2]));
  }

  @Test
  void wavAt16kHzStereoDecodesToTheSameDurationAt8kHz() {
    Audio a = AudioFiles.decode(Fixtures.wav16kStereo(1500), TEN_MINUTES);
    assertEquals(12_000, a.samples(), 2);
  }

  @Test
  void muLawWavDecodes() {
    short[] tone = Fixtures.sine(440, 8000, 800, 8000);
    byte[] ulaw = new byte[tone.length];
    for (int i = 0; i < tone.length; i++) ulaw[i] = G711.encode(Codec.PCMU, tone[i]);
    Audio a = AudioFiles.decode(Fixtures.wav(7, 1, 8000, 8, ulaw), TEN_MINUTES);
    assertEquals(800, a.samples());
  }

  @Test
  void garbageIsRefusedAsNeitherWavNorMp3() {
    byte[] garbage = new byte[5000];
    new Random(7).nextBytes(garbage);
    garbage[0] = 'x';
    AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> AudioFiles.decode(garbage, TEN_MINUTES));
    assertTrue(e.getMessage().contains("not a WAV or MP3 file"), e.getMessage());
    AudioDecodeException empty = assertThrows(AudioDecodeException.class,
        () -> AudioFiles.decode(new byte[0], TEN_MINUTES));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
  }

  @Test
  void anId3TagFollowedByGarbageFailsWithAClearMessage() {
    byte[] bytes = new byte[20_000];
    new Random(11).nextBytes(bytes);
    byte[] tag = {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    System.arraycopy(tag, 0, bytes, 0, tag.length);
    AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> AudioFiles.decode(bytes, TEN_MINUTES));
    assertTrue(e.getMessage().contains("MP3"), e.getMessage());
  }

  @Test
  void aTruncatedMp3KeepsTheAudioBeforeTheCut() {
    byte[] whole = Fixtures.stereoMp3();
    Audio half = AudioFiles.decode(Arrays.copyOf(whole, whole.length / 2), TEN_MINUTES);
    assertTrue(half.samples() > 6000 && half.samples() < 10_000, half.toString());
  }

  @Test
  void damagedMp3sEitherDecodeOrFailWithAnAudioDecodeExceptionNeverAnythingElse() {
    Random random = new Random(2024);
    byte[][] sources = {Fixtures.stereoMp3(), Fixtures.monoMp3()};
    int refused = 0;
    for (int i = 0; i < 300; i++) {
      byte[] b = sources[i % 2].clone();
      switch (i % 3) {
        case 0 -> { // flipped bytes anywhere
          for (int k = 0; k < 1 + random.nextInt(40); k++) b[random.nextInt(b.length)] = (byte) random.nextInt();
        }
        case 1 -> { // random bytes from some point on
          for (int k = random.nextInt(b.length); k < b.length; k++) b[k] = (byte) random.nextInt();
        }
        default -> b = Arrays.copyOf(b, random.nextInt(b.length)); // cut anywhere
      }
      try {
        AudioFiles.decode(b, TEN_MINUTES);
      } catch (AudioDecodeException e) {
        refused++;
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
      }
    }
    assertTrue(refused > 0, "some of the damaged files are beyond repair");
  }

  @Test
  void aTruncatedWavHeaderIsRefusedAsCorrupt() {
    byte[] wav = Arrays.copyOf(Fixtures.wav16kStereo(100), 30);
    AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> AudioFiles.decode(wav, TEN_MINUTES));
    assertTrue(e.getMessage().toLowerCase().contains("wav"), e.getMessage());
  }

  @Test
  void audioLongerThanTheLimitIsRefused() {
    AudioDecodeException mp3 = assertThrows(AudioDecodeException.class,
        () -> AudioFiles.decode(Fixtures.stereoMp3(), Duration.ofMillis(1500)));
    assertTrue(mp3.getMessage().contains("longer than the limit of 1.5 s"), mp3.getMessage());
    AudioDecodeException wav = assertThrows(AudioDecodeException.class,
        () -> AudioFiles.decode(Fixtures.wav16kStereo(3000), Duration.ofSeconds(2)));
    assertTrue(wav.getMessage().contains("WAV audio is longer than the limit of 2 s (at least 3 s)"), wav.getMessage());
  }

  @Test
  void wavDurationIsReadFromTheHeaderBeforeDecoding() {
    assertEquals(1500, AudioFiles.wavDurationMillis(Fixtures.wav16kStereo(1500)));
    assertEquals(-1, AudioFiles.wavDurationMillis(Arrays.copyOf(Fixtures.wav16kStereo(100), 30)));
  }

  @Test
  void decodeAsyncRunsOnTheGivenExecutor() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "decode-pool"));
    try {
      String[] thread = new String[1];
      Audio a = AudioFiles.decodeAsync(Fixtures.monoMp3(), TEN_MINUTES, r -> pool.execute(() -> {
        thread[0] = Thread.currentThread().getName();
        r.run();
      })).get(30, TimeUnit.SECONDS);
      assertTrue(a.samples() >= 8000);
      assertEquals("decode-pool", thread[0]);
    } finally {
      pool.shutdownNow();
    }
  }
}
