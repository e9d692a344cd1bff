package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.AccountJson;
import java.util.function.Supplier;

/**
 * {@code perp_getAccount}: an account's collateral, positions and margin figures, from the read
 * model (rebuilt from the risk engine's records). An account never seen gives zeros. Private: the
 * account's read grant is checked first ({@link ReadGrants}). Netty thread.
 */
public final class GetAccountMethod extends PrivateAccountMethod {
  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetAccountMethod(ReadModel readModel, ReadGrants grants) {
    super(RpcMethod.GET_ACCOUNT, readModel, grants);
  }

  @Override
  Supplier<JsonNode> request(int account, Params p) {
    return () -> AccountJson.write(Json.object(), readModel.account(account));
  }
}
