package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.concurrent.CompletableFuture;

/**
 * A public method answered at once from the read model (markets, book, trades, candles, funding
 * history, the liquidation ladder): no read grant, no wait. Netty thread ({@link #handle} calls
 * {@link #answer} on the calling thread).
 */
abstract class PublicReadMethod extends RpcMethodHandler {
  /** Where the answers come from. */
  final ReadModel readModel;

  /**
   * The method.
   *
   * @param method which method it is
   * @param readModel the read model
   */
  PublicReadMethod(RpcMethod method, ReadModel readModel) {
    super(method);
    this.readModel = readModel;
  }

  @Override
  public final CompletableFuture<JsonNode> handle(Params p) {
    return CompletableFuture.completedFuture(answer(p));
  }

  /**
   * Reads the parameters and answers.
   *
   * @param p the parameters
   * @return the result
   * @throws RpcException for a bad parameter or a market not listed
   */
  abstract JsonNode answer(Params p);
}
