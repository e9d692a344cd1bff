package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.AccountJson;
import java.util.concurrent.CompletableFuture;

/**
 * {@code perp_getAccount}: an account's collateral, positions and margin figures, from the read
 * model (rebuilt from the risk engine's records). An account never seen gives zeros. Private: the
 * account's read grant is checked first ({@link ReadGrants}). Netty thread.
 */
public final class GetAccountMethod implements RpcHandler {
  private final ReadModel readModel;
  private final ReadGrants grants;

  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetAccountMethod(ReadModel readModel, ReadGrants grants) {
    this.readModel = readModel;
    this.grants = grants;
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.GET_ACCOUNT;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    int account = (int) p.longValue("account", 0, Integer.MAX_VALUE);
    return grants
        .authorize(p, account)
        .thenApply(ok -> AccountJson.write(Json.object(), readModel.account(account)));
  }
}
