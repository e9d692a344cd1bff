package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.concurrent.CompletableFuture;

/**
 * {@code perp_getNonces}: the highest accepted nonce of an account and a nonce that the nonce
 * window accepts now (highest + 1: its slot holds a smaller nonce or nothing), from the read model.
 * Netty thread.
 */
public final class GetNoncesMethod implements RpcHandler {
  private final ReadModel readModel;

  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetNoncesMethod(ReadModel readModel) {
    this.readModel = readModel;
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.GET_NONCES;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    int account = (int) p.longValue("account", 0, Integer.MAX_VALUE);
    long highest = readModel.highestNonce(account);
    return CompletableFuture.completedFuture(
        Json.object()
            .put("account", account)
            .put("highestNonce", highest)
            .put("nextNonce", highest + 1));
  }
}
