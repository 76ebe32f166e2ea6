package io.openvoice.media.rtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One per node: binds sessions in a port range (even ports, RTP only; RTCP port+1 is not bound), ONE receive
 * thread with a {@link Selector} for all sessions, ONE pacing thread (a single-threaded
 * {@link ScheduledExecutorService} at a fixed 20 ms period, drift-free because every run is scheduled at the
 * absolute time {@code start + n * 20 ms}) that sends the next frame of every playing session. No thread per call.
 *
 * <p>Thread model: {@link RtpSession} listeners run on the receive thread; play/sendDigit stages complete on the
 * pacing thread. Neither may block: use the {@code *Async} variants for slow continuations. Bridged sessions
 * ({@link RtpBridge}) relay on the receive thread as packets arrive, not through the pacer; taps run on whichever of
 * the two threads handled the frame.
 */
public final class RtpEngine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RtpEngine.class.getName());

  static final long PERIOD_NANOS = 20_000_000L;
  /** Lagging more than this many periods behind (GC pause, suspended VM) resynchronises instead of bursting. */
  private static final int MAX_CATCH_UP_PERIODS = 5;
  /** Pacing statistics window: the last 10 s of ticks. */
  private static final int STATS_WINDOW = 500;
  /** How long {@link RtpSession#close()} waits for the receive thread to release the socket. */
  private static final long RELEASE_WAIT_MS = 2_000;
  /** Datagrams drained from one socket per readiness event, so one flooded port cannot starve the others. */
  private static final int MAX_READS_PER_EVENT = 64;

  private enum State { NEW, RUNNING, CLOSED }

  private final InetAddress bindAddress;
  private final int portMin;
  private final int portMax;
  private final int maxSessions;
  private final SecureRandom random = new SecureRandom();

  private final Object allocLock = new Object();
  /** Ports bound or still being released (guarded by allocLock). */
  private final Set<Integer> portsInUse = new HashSet<>();
  /** Next port tried (round robin, so a just-released port is not handed out again at once). */
  private int nextPort;

  private final ConcurrentHashMap<Integer, RtpSession> sessions = new ConcurrentHashMap<>();

  private final Object stateLock = new Object();
  private State state = State.NEW; // guarded by stateLock
  private boolean rxRunning; // guarded by stateLock
  private volatile boolean rxStop;

  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> rxTasks = new ConcurrentLinkedQueue<>();
  /** Sockets closed on the receive thread, released after the next select deregisters them (receive thread only). */
  private final List<Release> releasing = new ArrayList<>();
  private Thread rxThread;

  /** Guards making and ending {@link RtpBridge}s of this engine's sessions; taken before any session's lock. */
  final Object bridgeLock = new Object();

  private ScheduledThreadPoolExecutor pacer;
  /** Time of pacing tick 0; set once by start() (volatile: the receive thread reads it for relayed timestamps). */
  private volatile long startNanos;
  // pacing thread only
  private long tick;
  private long lastRunNanos;
  private final ArrayList<Runnable> completions = new ArrayList<>();

  private final long[] intervals = new long[STATS_WINDOW]; // guarded by itself
  private int intervalCount;
  private int intervalNext;

  private record Release(int port, CompletableFuture<Void> done) {}

  public RtpEngine(String bindAddress, int portMin, int portMax, int maxSessions) {
    if (portMin < 1 || portMax > 65535 || portMin > portMax) {
      throw new IllegalArgumentException("bad port range " + portMin + "-" + portMax);
    }
    if (maxSessions < 1) throw new IllegalArgumentException("maxSessions must be positive");
    try {
      this.bindAddress = InetAddress.getByName(bindAddress);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad bind address " + bindAddress, e);
    }
    this.portMin = (portMin & 1) == 0 ? portMin : portMin + 1;
    this.portMax = portMax;
    if (this.portMin > portMax) throw new IllegalArgumentException("no even port in " + portMin + "-" + portMax);
    this.maxSessions = maxSessions;
    this.nextPort = this.portMin;
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the receive and pacing threads. Idempotent; sessions opened before are served from now on. */
  public void start() {
    synchronized (stateLock) {
      if (state == State.CLOSED) throw new IllegalStateException("engine closed");
      if (state == State.RUNNING) return;
      state = State.RUNNING;
      rxRunning = true;
      rxThread = new Thread(this::receiveLoop, "rtp-rx-" + portMin);
      rxThread.setDaemon(true);
      rxThread.start();
      pacer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "rtp-pacer-" + portMin);
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        return t;
      });
      pacer.setRemoveOnCancelPolicy(true);
      pacer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      startNanos = System.nanoTime() + PERIOD_NANOS;
      pacer.schedule(this::pace, PERIOD_NANOS, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * A session on a free even port.
   *
   * @throws NoPortAvailableException when every even port of the range is taken or {@code maxSessions} are open
   */
  public RtpSession open() {
    synchronized (stateLock) {
      if (state == State.CLOSED) throw new IllegalStateException("engine closed");
    }
    RtpSession session;
    synchronized (allocLock) {
      if (sessions.size() >= maxSessions) {
        throw new NoPortAvailableException("maxSessions (" + maxSessions + ") reached");
      }
      int count = (portMax - portMin) / 2 + 1;
      IOException lastFailure = null;
      DatagramChannel channel = null;
      int port = -1;
      for (int i = 0; i < count && channel == null; i++) {
        int candidate = nextPort;
        nextPort = candidate + 2 > portMax ? portMin : candidate + 2;
        if (portsInUse.contains(candidate)) continue;
        DatagramChannel ch = null;
        try {
          ch = DatagramChannel.open();
          ch.setOption(StandardSocketOptions.SO_REUSEADDR, false);
          ch.bind(new InetSocketAddress(bindAddress, candidate));
          ch.configureBlocking(false);
          channel = ch;
          port = candidate;
        } catch (IOException e) {
          lastFailure = e;
          closeQuietly(ch);
        }
      }
      if (channel == null) {
        throw new NoPortAvailableException(
            "no free even port in " + portMin + "-" + portMax + " on " + bindAddress.getHostAddress(),
            lastFailure);
      }
      portsInUse.add(port);
      session = new RtpSession(this, channel, port, random);
      sessions.put(port, session);
    }
    DatagramChannel channel = session.channel();
    // when not started yet, start() registers every open session
    runOnReceiveThread(() -> register(session));
    synchronized (stateLock) {
      if (state == State.CLOSED) { // closed concurrently
        session.close();
        throw new IllegalStateException("engine closed");
      }
    }
    LOG.log(System.Logger.Level.DEBUG, "RTP session opened on {0}", channel);
    return session;
  }

  /** Sessions opened and not closed. */
  public int activeSessions() {
    return sessions.size();
  }

  /** Stops the threads and closes every session (pending plays complete false). Idempotent. */
  @Override
  public void close() {
    ScheduledThreadPoolExecutor p;
    synchronized (stateLock) {
      if (state == State.CLOSED) return;
      state = State.CLOSED;
      p = pacer;
    }
    if (p != null) {
      p.shutdownNow();
      try {
        p.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (RtpSession s : new ArrayList<>(sessions.values())) s.close();
    Thread rx;
    synchronized (stateLock) {
      rx = rxThread;
    }
    if (rx != null) {
      rxStop = true;
      selector.wakeup();
      try {
        rx.join(RELEASE_WAIT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      closeSelectorAndChannels();
    }
  }

  /**
   * Pacing accuracy: the 99th percentile of |actual send interval - 20 ms| in microseconds over the last 10 s of
   * pacing ticks; 0 before two ticks ran.
   */
  public long pacingP99Micros() {
    long[] copy;
    synchronized (intervals) {
      copy = Arrays.copyOf(intervals, intervalCount);
    }
    if (copy.length == 0) return 0;
    for (int i = 0; i < copy.length; i++) copy[i] = Math.abs(copy[i] - PERIOD_NANOS);
    Arrays.sort(copy);
    int idx = (int) Math.ceil(copy.length * 0.99) - 1;
    return copy[Math.max(0, idx)] / 1_000;
  }

  // ---------------------------------------------------------------- pacing thread

  private void pace() {
    long now = System.nanoTime();
    if (lastRunNanos != 0) recordInterval(now - lastRunNanos);
    lastRunNanos = now;
    long t = tick;
    try {
      for (RtpSession s : sessions.values()) {
        try {
          s.tick(t, completions);
        } catch (Exception | LinkageError | AssertionError e) { // one bad session must not stop the clock
          LOG.log(System.Logger.Level.WARNING, "RTP session tick failed on port " + s.localPort(), e);
        }
        if (!completions.isEmpty()) runCompletions();
      }
    } finally {
      scheduleNext(t + 1);
    }
  }

  private void scheduleNext(long nextTick) {
    tick = nextTick;
    long next = startNanos + tick * PERIOD_NANOS;
    long after = System.nanoTime();
    if (after - next > MAX_CATCH_UP_PERIODS * PERIOD_NANOS) {
      long behind = (after - startNanos) / PERIOD_NANOS + 1;
      LOG.log(System.Logger.Level.WARNING, "RTP pacer {0} ticks late, resynchronising", behind - tick);
      tick = behind;
      next = startNanos + tick * PERIOD_NANOS;
    }
    try {
      pacer.schedule(this::pace, next - after, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  private void runCompletions() {
    try {
      for (Runnable r : completions) {
        try {
          r.run();
        } catch (Exception | LinkageError | AssertionError e) {
          LOG.log(System.Logger.Level.WARNING, "RTP play continuation failed", e);
        }
      }
    } finally {
      completions.clear();
    }
  }

  private void recordInterval(long nanos) {
    synchronized (intervals) {
      intervals[intervalNext] = nanos;
      intervalNext = (intervalNext + 1) % intervals.length;
      if (intervalCount < intervals.length) intervalCount++;
    }
  }

  // ---------------------------------------------------------------- receive thread

  /** Runs the task on the receive thread; false (task not run) when that thread is not running. */
  private boolean runOnReceiveThread(Runnable task) {
    synchronized (stateLock) {
      if (!rxRunning) return false;
      rxTasks.add(task);
    }
    selector.wakeup();
    return true;
  }

  private void register(RtpSession s) {
    DatagramChannel ch = s.channel();
    if (!ch.isOpen() || ch.keyFor(selector) != null) return;
    try {
      ch.register(selector, SelectionKey.OP_READ, s);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot register RTP port " + s.localPort(), e);
    }
  }

  private void receiveLoop() {
    for (RtpSession s : sessions.values()) register(s);
    ByteBuffer buf = ByteBuffer.allocate(2048);
    try {
      while (true) {
        runReceiveTasks();
        if (rxStop) break;
        boolean release = !releasing.isEmpty();
        if (release) selector.selectNow();
        else selector.select(1_000);
        if (release) releasePorts(); // the select deregistered the cancelled keys: sockets are closed now
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          if (!key.isValid() || !key.isReadable()) continue;
          RtpSession s = (RtpSession) key.attachment();
          try {
            s.onReadable(buf, MAX_READS_PER_EVENT);
          } catch (Exception | LinkageError | AssertionError e) { // keep serving the other sessions
            LOG.log(System.Logger.Level.WARNING, "RTP receive failed on port " + s.localPort(), e);
          }
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      LOG.log(System.Logger.Level.ERROR, "RTP receive loop stopped", e);
    } finally {
      synchronized (stateLock) {
        rxRunning = false;
      }
      runReceiveTasks();
      closeSelectorAndChannels();
    }
  }

  private void runReceiveTasks() {
    Runnable t;
    while ((t = rxTasks.poll()) != null) {
      try {
        t.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "RTP receive task failed", e);
      }
    }
  }

  private void releasePorts() {
    List<Release> done = new ArrayList<>(releasing);
    releasing.clear();
    synchronized (allocLock) {
      for (Release r : done) portsInUse.remove(r.port());
    }
    for (Release r : done) r.done().complete(null);
  }

  private void closeSelectorAndChannels() {
    try {
      for (SelectionKey k : selector.keys()) closeQuietly(k.channel());
      selector.selectNow();
    } catch (IOException | ClosedSelectorException e) {
      // closing anyway
    }
    closeQuietly(selector);
    releasePorts();
    synchronized (allocLock) {
      portsInUse.removeIf(p -> !sessions.containsKey(p));
    }
  }

  // ---------------------------------------------------------------- called by RtpSession

  /**
   * 8 kHz samples elapsed since pacing tick 0: the clock that pacing tick {@code n} samples as {@code n * 160}, read at
   * any moment (a relayed stream starts at the current time, between ticks).
   */
  long clockSamples() {
    return Math.max(0, System.nanoTime() - startNanos) / (1_000_000_000L / 8_000);
  }

  /** Removes a closing session and releases its socket; waits (bounded) until the port is free again. */
  void release(RtpSession s) {
    sessions.remove(s.localPort(), s);
    DatagramChannel ch = s.channel();
    if (Thread.currentThread() == rxThread) {
      closeOnReceiveThread(ch, s.localPort(), new CompletableFuture<>());
      return;
    }
    CompletableFuture<Void> released = new CompletableFuture<>();
    if (runOnReceiveThread(() -> closeOnReceiveThread(ch, s.localPort(), released))) {
      try {
        released.get(RELEASE_WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        LOG.log(System.Logger.Level.WARNING, "RTP port {0} not released in time", s.localPort());
      }
    } else {
      // no receive thread: the channel is not (or no longer) registered, closing releases the socket at once
      closeQuietly(ch);
      synchronized (allocLock) {
        portsInUse.remove(s.localPort());
      }
    }
  }

  private void closeOnReceiveThread(DatagramChannel ch, int port, CompletableFuture<Void> released) {
    SelectionKey key = ch.keyFor(selector);
    if (key != null) key.cancel();
    closeQuietly(ch);
    releasing.add(new Release(port, released));
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Exception e) {
      // ignore
    }
  }

  @Override
  public String toString() {
    return "RtpEngine[" + bindAddress.getHostAddress() + ":" + portMin + "-" + portMax + ", sessions="
        + sessions.size() + "]";
  }
}
