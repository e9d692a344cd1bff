package io.zkperp.prover.worker;

/**
 * A job failed for a reason other than its witness: the worker died on it too often, the worker
 * cannot start (key mismatch, another worker holds the directory), the prover failed internally, or
 * the client was closed.
 */
public final class WorkerFailureException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public WorkerFailureException(String message) {
    super(message);
  }
}
