package io.zkperp.node.jobs.kafka;

/**
 * A record of the jobs or results topic that does not decode (wrong magic, version, length or
 * field). Carries no state; any thread.
 */
public final class MalformedRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, with the offset where it helps
   */
  public MalformedRecordException(String message) {
    super(message);
  }
}
