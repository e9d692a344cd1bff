package io.zkperp.gateway.rpc;

import java.util.Objects;

/**
 * A JSON-RPC error to return to the client: a typed {@link RpcError} and a precise message. Thrown
 * by parameter parsing and method handlers, or used to complete a handler's future exceptionally.
 * Immutable; any thread.
 */
public final class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The typed error. */
  private final transient RpcError error;

  /**
   * An error with a precise message.
   *
   * @param error the typed error
   * @param message what was wrong and what would be accepted
   */
  public RpcException(RpcError error, String message) {
    super(message, null, false, false);
    this.error = Objects.requireNonNull(error);
  }

  /**
   * The typed error.
   *
   * @return the error
   */
  public RpcError error() {
    return error;
  }
}
