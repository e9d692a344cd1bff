package io.zkperp.batcher.v3;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.batcher.v3.ticks.FundingTick;
import io.zkperp.batcher.v3.ticks.OracleTick;
import io.zkperp.batcher.v3.ticks.SignedPriceReport;
import io.zkperp.batcher.v3.ticks.TickExecution;
import io.zkperp.batcher.v3.ticks.TickRefusedException;
import io.zkperp.batcher.v3.witness.BatchHeaderV3;
import io.zkperp.batcher.v3.witness.BatchShape;
import io.zkperp.batcher.v3.witness.BatchStep;
import io.zkperp.batcher.v3.witness.CollateralBatchStep;
import io.zkperp.batcher.v3.witness.TickBatchStep;
import io.zkperp.batcher.v3.witness.TradeBatchStep;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.vectors.TestVectors;
import io.zkperp.state.v2.StateBatchV2;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads {@code test-vectors/step-elements.json} and {@code batch-v3.json} (the format v3 batch
 * scenarios of {@code vectors/batch_v3_builder.go}): the shape, the header, and each step executed
 * on a batch by the Java executions as a {@link BatchStep}. Test helper.
 */
final class BatchV3Vectors {
  static final JsonNode ELEMENTS = TestVectors.load("step-elements.json");
  static final JsonNode BATCHES = TestVectors.load("batch-v3.json");

  private BatchV3Vectors() {}

  static MessageDomain domain(JsonNode file) {
    JsonNode d = file.get("domain");
    return MessageDomain.of(
        Long.parseUnsignedLong(d.get("chainId").asText()),
        L1Address.fromHex(d.get("rollup").asText()));
  }

  /** A scenario's shape; the later groups and the fee rate 0 where the file has none. */
  static BatchShape shape(JsonNode sc) {
    JsonNode s = sc.get("shape");
    return new BatchShape(
        s.get("trades").asInt(),
        s.get("deposits").asInt(),
        s.get("withdrawals").asInt(),
        s.get("transfers").asInt(),
        s.get("forcedWithdrawals").asInt(),
        s.get("oracleTicks").asInt(),
        s.get("fundingTicks").asInt(),
        s.path("liquidations").asInt(0),
        s.path("takeovers").asInt(0),
        s.path("deleverages").asInt(0),
        s.path("periodStarts").asInt(0),
        s.get("n").asInt(),
        s.get("k").asInt(),
        s.get("reportSlots").asInt(),
        s.path("liquidationFeePpm").asLong(0));
  }

  /** Bytes as the files write them: 0x and lower-case hex. */
  static String hexString(byte[] b) {
    return "0x" + HexFormat.of().formatHex(b);
  }

  /** A table of field elements (roots, priority hashes) as the files write it. */
  static List<Fr> table(JsonNode n) {
    List<Fr> out = new ArrayList<>();
    n.forEach(e -> out.add(TradeVectors.fr(e)));
    return out;
  }

  static long batchTime(JsonNode sc) {
    return Long.parseLong(sc.get("batchTime").asText());
  }

  static BatchHeaderV3 header(JsonNode file, JsonNode sc) {
    return new BatchHeaderV3(
        domain(file),
        Long.parseUnsignedLong(sc.get("batchNumber").asText()),
        batchTime(sc),
        TradeVectors.fr(sc.get("priorityBefore")),
        TradeVectors.fr(sc.get("initial").get("root")));
  }

  static byte[] hex(JsonNode n) {
    return HexFormat.of().parseHex(n.asText().substring(2));
  }

  static OracleTick oracle(JsonNode s, long batchTime) {
    List<SignedPriceReport> reports = new ArrayList<>();
    for (JsonNode r : s.get("reports")) {
      reports.add(
          new SignedPriceReport(
              r.get("signer").asInt(),
              (int) r.get("market").asLong(),
              Long.parseLong(r.get("price").asText()),
              Long.parseLong(r.get("timestamp").asText()),
              hex(r.get("signature"))));
    }
    return new OracleTick(
        s.get("market").asInt(), Long.parseLong(s.get("now").asText()), batchTime, reports);
  }

  /** The Java executions of one deployment. */
  record Executions(
      MessageDomain domain,
      CollateralExecution collateral,
      TickExecution ticks,
      TradeExecution trades) {
    static Executions of(MessageDomain d) {
      return new Executions(
          d, new CollateralExecution(d), new TickExecution(d), new TradeExecution(d));
    }
  }

  /** Executes one vector step on the batch as its batch step. */
  static BatchStep execute(Executions ex, StateBatchV2 b, JsonNode step, long batchTime)
      throws CollateralRefusedException, TickRefusedException, TradeRefusedException {
    return switch (step.get("type").asText()) {
      case "oracle-tick" -> new TickBatchStep(ex.ticks().executeOracle(b, oracle(step, batchTime)));
      case "funding-tick" ->
          new TickBatchStep(
              ex.ticks()
                  .executeFunding(
                      b,
                      new FundingTick(
                          step.get("market").asInt(),
                          Long.parseLong(step.get("now").asText()),
                          batchTime,
                          Long.parseLong(step.get("indexDelta").asText()))));
      case "trade" ->
          new TradeBatchStep(ex.trades().execute(b, TradeVectors.trade(step)), ex.domain());
      default ->
          new CollateralBatchStep(ex.collateral().execute(b, CollateralVectors.transaction(step)));
    };
  }
}
