package io.zkperp.node.jobs.kafka;

/**
 * A job names a shape or deployment this prover has no keys for: the prover stops without
 * committing the job, which stays for a member of the group that proves it. Any thread.
 */
public final class JobForAnotherProverException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the job's shape and deployment and the prover's
   */
  public JobForAnotherProverException(String message) {
    super(message);
  }
}
