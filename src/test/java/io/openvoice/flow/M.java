package io.openvoice.flow;

import io.openvoice.xml.Block;
import io.openvoice.xml.CallFlow;
import io.openvoice.xml.Meta;
import io.openvoice.xml.Node;
import io.openvoice.xml.Src;
import io.openvoice.xml.Verb;
import java.util.List;
import java.util.Map;

/** Hand-built model documents (the parser's output shape), for tests that must not depend on the parser. */
final class M {
  private M() {}

  static Src src(String path) {
    return new Src(path, 1, 1);
  }

  static CallFlow flow(Node... nodes) {
    return new CallFlow(List.of(nodes));
  }

  static Verb.Answer answer(String path, long delay) {
    return new Verb.Answer(src(path), delay, null, null, List.of());
  }

  static Verb.Say say(String path, String text) {
    return new Verb.Say(src(path), text, "Standard", "FEMALE", null, "en-US", 1, "aleg", null, null, List.of());
  }

  static Verb.Play play(String path, String url, Block onError) {
    return new Verb.Play(src(path), url, null, 1, "aleg", null, onError, List.of());
  }

  static Verb.Pause pause(String path, long ms, String dtmfStop) {
    return new Verb.Pause(src(path), ms, dtmfStop, null, null, List.of());
  }

  static Verb.Hangup hangup(String path) {
    return new Verb.Hangup(src(path), 16, null, null, null, List.of());
  }

  static Block error(String path, Node... body) {
    return new Block(src(path), Block.Kind.ERROR, null, List.of(body));
  }

  static Block deflt(String path, Node... body) {
    return new Block(src(path), Block.Kind.DEFAULT, null, List.of(body));
  }

  static Meta meta(String path, String name, Object value) {
    return new Meta(src(path), name, value);
  }

  static Verb.Branch branch(String path, String value, Node... body) {
    return new Verb.Branch(src(path), value, null, List.of(body));
  }

  static Verb.Gather gather(String path, int attempts, String url, List<Verb> prompts, List<Verb.Branch> branches,
                            Block onDefault, Block onError) {
    return new Verb.Gather(src(path), 1, "#", 5000, attempts, url, "GET", null, prompts, branches, onDefault, onError,
        List.of());
  }

  static Verb.Callback callback(String path, String url, Block onError, Meta... metas) {
    return new Verb.Callback(src(path), url, "POST", false, 10_000, null, onError, List.of(metas));
  }

  static Verb.Curl curl(String path, String url, boolean async, boolean execute) {
    return new Verb.Curl(src(path), url, "GET", 10_000, null, Map.of(), async, execute, null, null, List.of());
  }
}
