package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.LiquidationLadder;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcMethod;

/**
 * {@code perp_getLiquidationLadder}: a market's open interest that would be liquidated per price
 * band around the oracle price ({@link LiquidationLadder}), from the read model's published account
 * views: sums only, no account. Public. Netty thread (reads immutable views, no lock shared with
 * the journal thread, nothing on the order path).
 */
public final class GetLiquidationLadderMethod extends PublicReadMethod {
  /** Bands per side when {@code bands} is absent. */
  static final int DEFAULT_BANDS = 10;

  /** Band width when {@code bandPpm} is absent: 1 % of the oracle price. */
  static final long DEFAULT_BAND_PPM = 10_000;

  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetLiquidationLadderMethod(ReadModel readModel) {
    super(RpcMethod.GET_LIQUIDATION_LADDER, readModel);
  }

  @Override
  JsonNode answer(Params p) {
    int market = (int) p.longValue("market", 0, 65_535);
    int bands = (int) p.longValue("bands", 1, 100, DEFAULT_BANDS);
    long bandPpm = p.longValue("bandPpm", 1, 1_000_000, DEFAULT_BAND_PPM);
    HistoryPaging.listedMarket(readModel, market);
    long journalSeq = readModel.journalSeq();
    long oracle = readModel.marketStates(market).get(0).oraclePrice();
    if (oracle <= 0) {
      throw new RpcException(
          RpcError.INVALID_PARAMS, "market " + market + " has no oracle price yet");
    }
    LiquidationLadder ladder =
        LiquidationLadder.of(oracle, bands, bandPpm, readModel.positionsIn(market));
    ObjectNode out =
        Json.object()
            .put("market", market)
            .put("oraclePrice", oracle)
            .put("journalSeq", journalSeq)
            .put("bandPpm", bandPpm);
    side(out.putObject("longs"), ladder.longs());
    side(out.putObject("shorts"), ladder.shorts());
    return out;
  }

  private static void side(ObjectNode o, LiquidationLadder.Side s) {
    ArrayNode bands = o.putArray("bands");
    for (LiquidationLadder.Band b : s.bands()) {
      bands.addObject().put("from", b.from()).put("to", b.to()).put("size", b.size());
    }
    o.put("beyond", s.beyond()).put("never", s.never());
  }
}
