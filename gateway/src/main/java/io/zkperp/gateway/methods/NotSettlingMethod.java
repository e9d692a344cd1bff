package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.concurrent.CompletableFuture;

/**
 * A settlement method ({@code perp_withdraw}, {@code perp_transfer}, {@code perp_getBatch}, {@code
 * perp_getSettlement}, {@code perp_getEscapeProof}) on a gateway without a settlement (the demo
 * node): always {@link RpcError#SETTLEMENT_NOT_AVAILABLE}. The settling node ({@code node/})
 * supplies the real handlers through {@code GatewaySetup.settlementMethods}. Any thread.
 */
public final class NotSettlingMethod extends RpcMethodHandler {
  /**
   * The stand-in for one method.
   *
   * @param method the settlement method
   */
  public NotSettlingMethod(RpcMethod method) {
    super(method);
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    throw new RpcException(
        RpcError.SETTLEMENT_NOT_AVAILABLE,
        "this node runs no settlement: "
            + method().wireName()
            + " is served by the settling node (node/), not the demo node");
  }
}
