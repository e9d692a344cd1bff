package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.concurrent.CompletableFuture;

/**
 * A method whose result is fixed when the gateway starts (the signing domain, the OpenRPC
 * document): each call is answered at once with its own copy. Netty thread; the result is not
 * changed after construction.
 */
abstract class FixedResultMethod extends RpcMethodHandler {
  private final JsonNode result;

  /**
   * The method.
   *
   * @param method which method it is
   * @param result the result every call gets a copy of
   */
  FixedResultMethod(RpcMethod method, JsonNode result) {
    super(method);
    this.result = result;
  }

  @Override
  public final CompletableFuture<JsonNode> handle(Params p) {
    return CompletableFuture.completedFuture(result.deepCopy());
  }
}
