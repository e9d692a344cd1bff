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
 * Private, as the account's order count is: the account's read grant is checked first ({@link
 * ReadGrants}); whoever can sign an order can sign one. Netty thread.
 */
public final class GetNoncesMethod implements RpcHandler {
  private final ReadModel readModel;
  private final ReadGrants grants;

  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetNoncesMethod(ReadModel readModel, ReadGrants grants) {
    this.readModel = readModel;
    this.grants = grants;
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.GET_NONCES;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    int account = (int) p.longValue("account", 0, Integer.MAX_VALUE);
    return grants
        .authorize(p, account)
        .thenApply(
            ok -> {
              long highest = readModel.highestNonce(account);
              return Json.object()
                  .put("account", account)
                  .put("highestNonce", highest)
                  .put("nextNonce", highest + 1);
            });
  }
}
