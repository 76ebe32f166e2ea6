package io.openvoice.common;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What went wrong in an asynchronous stage, without the wrappers futures put around it. */
public final class Errors {
  private Errors() {}

  /** The cause inside any CompletionException/ExecutionException wrappers. */
  public static Throwable unwrap(Throwable err) {
    Throwable t = err;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The unwrapped cause's message, or its class name when it has none. */
  public static String describe(Throwable err) {
    Throwable t = unwrap(err);
    String msg = t.getMessage();
    return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
  }
}
