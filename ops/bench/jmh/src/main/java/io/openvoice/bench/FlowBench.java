package io.openvoice.bench;

import io.openvoice.flow.Action;
import io.openvoice.flow.Outcome;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Flow steps per second: one operation is a whole call through a pre-parsed document ({@link FlowScenario}); the
 * {@code steps} counter gives the interpreter transitions per second. The reference runs the same number of steps
 * with the same outcomes, made by the same responder, but its "interpreter" only walks the list of actions the
 * real one produced: what is left is the cost of driving a flow with no flow logic at all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FlowBench {

  @Param({"small", "large"})
  public String doc;

  private FlowScenario scenario;
  private Action[] replay;

  /** Interpreter steps, reported by JMH as a rate next to the calls per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Steps {
    public long steps;

    @Setup(Level.Iteration)
    public void clear() {
      steps = 0;
    }
  }

  @Setup
  public void setup() {
    scenario = FlowScenario.of(doc);
    List<Action> pending = scenario.recordPending();
    replay = pending.toArray(new Action[0]);
    if (scenario.run() != replay.length + 1) throw new IllegalStateException("the scenario is not deterministic");
  }

  @Benchmark
  public int ours(Steps counter) {
    int n = scenario.run();
    counter.steps += n;
    return n;
  }

  @Benchmark
  public void reference(Steps counter, Blackhole bh) {
    FlowScenario.Responder responder = scenario.new Responder();
    bh.consume(List.of(replay[0])); // the start: the first action, as a step's list
    int steps = 1;
    for (int i = 0; i < replay.length; i++) {
      Outcome o = responder.respond(replay[i]);
      // the trivial interpreter: the outcome must be for the action it waits on; the next action is the next one
      if (Outcome.seqOf(o) != null && Outcome.seqOf(o) != replay[i].seq()) throw new IllegalStateException();
      bh.consume(i + 1 < replay.length ? List.of(replay[i + 1]) : List.of());
      steps++;
    }
    counter.steps += steps;
  }
}
