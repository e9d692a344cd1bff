package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A private method that reads one account's data from the read model: {@link #handle} reads {@code
 * account}, then the method's own parameters ({@link #request}), then checks the account's read
 * grant ({@link ReadGrants}), and answers once the grant holds; a bad parameter is refused before
 * the grant is looked at. Netty thread ({@link #request} on the calling thread, the answer where
 * the grant check completes).
 */
abstract class PrivateAccountMethod extends RpcMethodHandler {
  private final ReadGrants grants;

  /** Where the answers come from. */
  final ReadModel readModel;

  /**
   * The method.
   *
   * @param method which method it is
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  PrivateAccountMethod(RpcMethod method, ReadModel readModel, ReadGrants grants) {
    super(method);
    this.readModel = readModel;
    this.grants = grants;
  }

  @Override
  public final CompletableFuture<JsonNode> handle(Params p) {
    int account = (int) p.longValue("account", 0, Integer.MAX_VALUE);
    Supplier<JsonNode> answer = request(account, p);
    return grants.authorize(p, account).thenApply(ok -> answer.get());
  }

  /**
   * Reads the method's parameters after {@code account} and returns what answers once the grant
   * holds.
   *
   * @param account the account read
   * @param p the parameters
   * @return the answer, computed after the grant check
   * @throws RpcException for a bad parameter or a market not listed
   */
  abstract Supplier<JsonNode> request(int account, Params p);
}
