package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.function.Supplier;

/**
 * {@code perp_getNonces}: the highest accepted nonce of an account and a nonce that the nonce
 * window accepts now (highest + 1: its slot holds a smaller nonce or nothing), from the read model.
 * Private, as the account's order count is: the account's read grant is checked first ({@link
 * ReadGrants}); whoever can sign an order can sign one. Netty thread.
 */
public final class GetNoncesMethod extends PrivateAccountMethod {
  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetNoncesMethod(ReadModel readModel, ReadGrants grants) {
    super(RpcMethod.GET_NONCES, readModel, grants);
  }

  @Override
  Supplier<JsonNode> request(int account, Params p) {
    return () -> {
      long highest = readModel.highestNonce(account);
      return Json.object()
          .put("account", account)
          .put("highestNonce", highest)
          .put("nextNonce", highest + 1);
    };
  }
}
