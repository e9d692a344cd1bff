package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.DenseMerkleTree;
import io.zkperp.batcher.v3.ticks.FundingPeriodStartStep;
import io.zkperp.batcher.v3.ticks.FundingTickStep;
import io.zkperp.batcher.v3.ticks.OracleTickStep;
import io.zkperp.batcher.v3.ticks.SignedPriceReport;
import io.zkperp.batcher.v3.ticks.TickWitness;
import io.zkperp.protocol.eddsa.EdDsaSignature;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.OracleSigner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A tick step's circuit elements in the order {@code batchv3.Encode} writes them: gnark's schema
 * order over {@code tickstep.OracleStep} (with the shape's report slots) or {@code
 * tickstep.FundingStep} as {@code tickstep.WitnessOracle} / {@code WitnessFunding} assign them (and
 * {@code tickstep.FundingPeriodStartStep} as {@code WitnessFundingPeriodStart} does), each named by
 * its leaf path ({@code Reports.1.Signature.R.X}, {@code Leaf.Risk.11}). Built from what {@link
 * io.zkperp.batcher.v3.ticks.TickExecution} returns. Stateless; any thread.
 */
public final class TickStepElements {
  /** Elements of a report slot: used, price, timestamp, signer, key, 4 path siblings, R, S. */
  private static final int REPORT = 4 + 2 + LayoutV2.ORACLE_SIGNERS_DEPTH + 3;

  /** Elements of the market leaf's opening: 5 fields, 12 risk values, 6 path siblings. */
  private static final int LEAF = 5 + 12 + LayoutV2.MARKETS_DEPTH;

  private TickStepElements() {}

  /**
   * The number of elements of an oracle-tick slot.
   *
   * @param reportSlots the shape's report slots
   * @return the element count
   */
  public static int oracleCount(int reportSlots) {
    return 2 + REPORT * reportSlots + 2 + LEAF + 4 + 1;
  }

  /**
   * The number of elements of a funding-tick slot.
   *
   * @return the element count
   */
  public static int fundingCount() {
    return 3 + LEAF + 2;
  }

  /**
   * An oracle tick's elements: market, now, the reports sorted by signer slot in the first slots
   * (the rest unused: zero, with the identity as key and R), the new price and timestamp, the
   * market leaf before with its path, the global leaf's fee balance, signer root, quorum and
   * fee-tier root, the accounts root.
   *
   * @param w the oracle tick's witness (with its reports)
   * @param reportSlots the shape's report slots
   * @param index the step's position in execution order (for the refusal)
   * @return the elements
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: more reports than slots, or not
   *     an oracle tick
   */
  public static StepElements oracle(TickWitness w, int reportSlots, int index)
      throws BatchWitnessException {
    Objects.requireNonNull(w, "w");
    if (!(w.step() instanceof OracleTickStep step)) {
      throw new BatchWitnessException(BatchWitnessError.SHAPE, index, "not an oracle tick");
    }
    if (w.reports().size() > reportSlots) {
      throw new BatchWitnessException(
          BatchWitnessError.SHAPE,
          index,
          w.reports().size() + " reports, " + reportSlots + " report slots");
    }
    GlobalV2 g = w.global();
    List<Fr> leaves = new ArrayList<>();
    for (OracleSigner s : g.oracleSigners().slots()) {
      leaves.add(s.leaf());
    }
    DenseMerkleTree signers = new DenseMerkleTree(leaves);
    List<SignedPriceReport> sorted = new ArrayList<>(w.reports());
    sorted.sort(Comparator.comparingInt(SignedPriceReport::signer)); // stable, as sort.SliceStable
    StepElements e = new StepElements();
    e.add("Market", step.market());
    e.add("Now", step.now());
    for (int i = 0; i < reportSlots; i++) {
      String p = "Reports." + i + ".";
      if (i >= sorted.size()) {
        unused(e, p);
        continue;
      }
      SignedPriceReport r = sorted.get(i);
      int slot = r.signer() & (LayoutV2.ORACLE_SIGNER_SLOTS - 1);
      OracleSigner key = g.oracleSigners().slots().get(slot);
      EdDsaSignature sig = EdDsaSignature.decode(r.signature());
      e.add(p + "Used", 1);
      e.add(p + "Price", r.price());
      e.add(p + "Timestamp", r.timestamp());
      e.add(p + "Signer", r.signer());
      e.add(p + "Key.A.X", key.keyX());
      e.add(p + "Key.A.Y", key.keyY());
      AccountLeafElements.path(e, p + "Path.", signers.siblings(slot));
      e.add(p + "Signature.R.X", sig.r().x());
      e.add(p + "Signature.R.Y", sig.r().y());
      e.add(p + "Signature.S", sig.s());
    }
    e.add("Price", step.price());
    e.add("Timestamp", step.timestamp());
    leaf(e, w);
    e.add("Global.FeeBalance", g.feeBalance());
    e.add("Global.OracleSignersRoot", g.oracleSigners().root());
    e.add("Global.OracleQuorum", g.oracleQuorum());
    e.add("Global.FeeTiersRoot", g.feeTiers().hash());
    e.add("AccountsRoot", w.rootsBefore().accountsRoot());
    return e;
  }

  /**
   * A funding tick's elements: market, now, Δindex (the leaf's index after minus before), the
   * market leaf before with its path, the accounts root and the global leaf.
   *
   * @param w the funding tick's witness
   * @param index the step's position in execution order (for the refusal)
   * @return the elements
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: not a funding tick
   */
  public static StepElements funding(TickWitness w, int index) throws BatchWitnessException {
    Objects.requireNonNull(w, "w");
    if (!(w.step() instanceof FundingTickStep step)) {
      throw new BatchWitnessException(BatchWitnessError.SHAPE, index, "not a funding tick");
    }
    StepElements e = new StepElements();
    e.add("Market", step.market());
    e.add("Now", step.now());
    e.add("Delta", w.market().after().fundingIndex() - w.market().before().fundingIndex());
    leaf(e, w);
    e.add("AccountsRoot", w.rootsBefore().accountsRoot());
    e.add("GlobalLeaf", w.rootsBefore().globalLeaf());
    return e;
  }

  /**
   * The number of elements of a funding-period-start slot.
   *
   * @return the element count
   */
  public static int periodStartCount() {
    return 2 + LEAF + 2;
  }

  /**
   * A funding period start's elements ({@code tickstep.FundingPeriodStartStep}): market, now (the
   * new funding timestamp), the market leaf before with its path, the accounts root and the global
   * leaf.
   *
   * @param w the period start's witness
   * @param index the step's position in execution order (for the refusal)
   * @return the elements
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: not a funding period start
   */
  public static StepElements periodStart(TickWitness w, int index) throws BatchWitnessException {
    Objects.requireNonNull(w, "w");
    if (!(w.step() instanceof FundingPeriodStartStep step)) {
      throw new BatchWitnessException(BatchWitnessError.SHAPE, index, "not a funding period start");
    }
    StepElements e = new StepElements();
    e.add("Market", step.market());
    e.add("Now", step.now());
    leaf(e, w);
    e.add("AccountsRoot", w.rootsBefore().accountsRoot());
    e.add("GlobalLeaf", w.rootsBefore().globalLeaf());
    return e;
  }

  /** An unused report slot ({@code perp.UnusedReport}). */
  private static void unused(StepElements e, String p) {
    e.add(p + "Used", 0);
    e.add(p + "Price", 0);
    e.add(p + "Timestamp", 0);
    e.add(p + "Signer", 0);
    e.add(p + "Key.A.X", 0);
    e.add(p + "Key.A.Y", 1);
    for (int h = 0; h < LayoutV2.ORACLE_SIGNERS_DEPTH; h++) {
      e.add(p + "Path." + h, 0);
    }
    e.add(p + "Signature.R.X", 0);
    e.add(p + "Signature.R.Y", 1);
    e.add(p + "Signature.S", 0);
  }

  /** {@code Leaf}: the market leaf before the tick, its 12 risk values and its path. */
  private static void leaf(StepElements e, TickWitness w) {
    MarketV2 m = w.market().before();
    MarketRiskV2 r = m.risk();
    e.add("Leaf.OraclePrice", Fr.fromUnsignedLong(m.oraclePrice()));
    e.add("Leaf.OracleTimestamp", Fr.fromUnsignedLong(m.oracleTimestamp()));
    e.add("Leaf.FundingIndex", m.fundingIndex());
    e.add("Leaf.FundingTimestamp", Fr.fromUnsignedLong(m.fundingTimestamp()));
    e.add("Leaf.OpenInterest", Fr.fromUnsignedLong(m.openInterest()));
    long[] risk = {
      r.initialMarginPpm(),
      r.maintenanceMarginPpm(),
      r.baselinePositionSize(),
      r.incrementalPositionSize(),
      r.incrementalInitialMarginPpm(),
      r.maxPositionSize(),
      r.openInterestCap(),
      r.oracleMaxAgeSeconds(),
      r.oracleMaxFutureSeconds(),
      r.oracleMaxMovePpm(),
      r.fundingMinIntervalSeconds(),
      r.fundingMaxRatePpm()
    };
    for (int i = 0; i < risk.length; i++) {
      e.add("Leaf.Risk." + i, Fr.fromUnsignedLong(risk[i]));
    }
    AccountLeafElements.path(e, "Leaf.Path.", w.market().path().siblings());
  }
}
