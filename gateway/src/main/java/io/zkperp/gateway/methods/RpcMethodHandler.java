package io.zkperp.gateway.methods;

import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;

/**
 * A handler of the one method named when it is built: the base of the read methods, the fixed
 * answers and the settlement methods' stand-in. Immutable; {@link #method} from any thread.
 */
abstract class RpcMethodHandler implements RpcHandler {
  private final RpcMethod method;

  /**
   * The handler.
   *
   * @param method which method it serves
   */
  RpcMethodHandler(RpcMethod method) {
    this.method = method;
  }

  @Override
  public final RpcMethod method() {
    return method;
  }
}
