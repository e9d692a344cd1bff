package io.zkperp.gateway;

/**
 * The gateway could not bind because another process (often another node) already listens on the
 * address. Nothing was started. Any thread.
 */
public final class PortInUseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final int port;

  /**
   * The error.
   *
   * @param host the address that was to be bound
   * @param port the port that is taken
   * @param cause the transport's error
   */
  public PortInUseException(String host, int port, Throwable cause) {
    super(
        "port "
            + port
            + " on "
            + host
            + " is already in use (another node or program listens there); stop it or choose"
            + " another port",
        cause);
    this.host = host;
    this.port = port;
  }

  /**
   * The address that was to be bound.
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * The port that is taken.
   *
   * @return the port
   */
  public int port() {
    return port;
  }
}
