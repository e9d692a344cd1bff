package io.zkperp.node.jobs.kafka;

import java.io.IOException;

/**
 * The Kafka proof queue could not do what was asked (the brokers did not acknowledge a job or an
 * acknowledgement in time, a topic cannot be created or read); nothing was changed locally when a
 * submit fails. Any thread.
 */
public final class ProofQueueException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause the client's exception
   */
  public ProofQueueException(String message, Throwable cause) {
    super(message, cause);
  }
}
