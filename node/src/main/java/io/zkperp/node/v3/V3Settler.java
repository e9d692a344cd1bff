package io.zkperp.node.v3;

import io.zkperp.batcher.v3.CollateralExecution;
import io.zkperp.batcher.v3.CollateralRefusedException;
import io.zkperp.batcher.v3.TradeExecution;
import io.zkperp.batcher.v3.TradeRefusedException;
import io.zkperp.batcher.v3.liquidation.LiquidationExecution;
import io.zkperp.batcher.v3.liquidation.LiquidationRefusedException;
import io.zkperp.batcher.v3.ticks.TickExecution;
import io.zkperp.batcher.v3.ticks.TickRefusedException;
import io.zkperp.batcher.v3.witness.BatchStep;
import io.zkperp.batcher.v3.witness.CollateralBatchStep;
import io.zkperp.batcher.v3.witness.LiquidationBatchStep;
import io.zkperp.batcher.v3.witness.TickBatchStep;
import io.zkperp.batcher.v3.witness.TradeBatchStep;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.risk.LiquidationConfig;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Executes the format v3 steps of one command at a time on a layout v2 {@link StateStoreV2} with
 * the batcher's executions ({@link TradeExecution}, {@link CollateralExecution}, {@link
 * TickExecution}, {@link LiquidationExecution}, in witness mode, as the circuit's Go references do)
 * and, after each step, compares the tree with the engine's record ({@link RecordCheck}). A command
 * whose steps all pass and agree is committed as the store's next version; at the first refusal
 * ({@link StepRefusedException}) or disagreement ({@link DisagreementException}) the command's
 * batch is aborted, so the store stays at the previous command and nothing of this one is written.
 *
 * <p>One version per command is this class's unit of agreement, not a batch format: {@link
 * #settleForBatch} also hands back each step's witness as the batch encoder takes it ({@link
 * BatchStep}), which {@link BatchAssembler} seals into format v3 batches; the tree is written once.
 *
 * <p>Confined to the store's writer thread.
 */
public final class V3Settler {
  private final StateStoreV2 store;
  private final MessageDomain domain;
  private final TradeExecution trades;
  private final CollateralExecution collateral;
  private final TickExecution ticks;
  private final LiquidationExecution liquidations;
  private final long liquidationFeePpm;
  private long steps;

  /**
   * A settler on a store, for messages signed in one deployment's domain.
   *
   * @param store the layout v2 store (its genesis written by {@link EngineGenesis})
   * @param domain the deployment
   */
  public V3Settler(StateStoreV2 store, MessageDomain domain) {
    this(store, domain, LiquidationConfig.DEFAULT.feePpm());
  }

  /**
   * A settler on a store, for messages signed in one deployment's domain, whose engine charges the
   * given liquidation fee rate ({@code LiquidationConfig.feePpm}; the liquidation step's constant,
   * the shape's {@code liquidationFeePpm}).
   *
   * @param store the layout v2 store (its genesis written by {@link EngineGenesis})
   * @param domain the deployment
   * @param liquidationFeePpm the liquidation fee rate, ppm
   */
  public V3Settler(StateStoreV2 store, MessageDomain domain, long liquidationFeePpm) {
    this.store = Objects.requireNonNull(store, "store");
    this.domain = Objects.requireNonNull(domain, "domain");
    this.trades = new TradeExecution(domain);
    this.collateral = new CollateralExecution(domain);
    this.ticks = new TickExecution(domain);
    this.liquidations = new LiquidationExecution(domain, liquidationFeePpm);
    this.liquidationFeePpm = liquidationFeePpm;
  }

  /**
   * Executes and commits one command's steps; a command without steps writes nothing.
   *
   * @param command the command's steps
   * @return the roots after (the current roots for a command without steps)
   * @throws StepRefusedException a step was refused (nothing of the command written)
   * @throws DisagreementException the tree disagrees with a record (nothing written)
   */
  public StateRootsV2 settle(V3Translation.Steps command) throws SettlementStoppedException {
    return settleForBatch(command).roots();
  }

  /**
   * Executes and commits one command's steps like {@link #settle}, and returns each step's witness
   * as the format v3 batch encoder takes it.
   *
   * @param command the command's steps
   * @return the command's witnesses and the roots after (no steps and the current roots for a
   *     command without steps)
   * @throws StepRefusedException a step was refused (nothing of the command written)
   * @throws DisagreementException the tree disagrees with a record (nothing written)
   */
  public SettledCommand settleForBatch(V3Translation.Steps command)
      throws SettlementStoppedException {
    if (command.steps().isEmpty()) {
      return new SettledCommand(command.seq(), List.of(), List.of(), store.roots());
    }
    StateBatchV2 batch = store.beginBatch();
    boolean committed = false;
    try {
      List<V3Step> list = command.steps();
      List<BatchStep> witnesses = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        V3Step s = list.get(i);
        BatchStep w = execute(batch, command.seq(), i, s);
        long paid = w instanceof CollateralBatchStep c ? c.witness().paid() : 0;
        Disagreement d = RecordCheck.check(batch, command.seq(), i, s, paid);
        if (d != null) {
          throw new DisagreementException(d);
        }
        witnesses.add(w);
      }
      StateRootsV2 roots = batch.commit();
      committed = true;
      steps += list.size();
      return new SettledCommand(command.seq(), list, witnesses, roots);
    } finally {
      if (!committed) {
        batch.abort();
      }
    }
  }

  /**
   * How many steps were committed.
   *
   * @return the count
   */
  public long stepsSettled() {
    return steps;
  }

  private BatchStep execute(StateBatchV2 batch, long seq, int i, V3Step s)
      throws StepRefusedException {
    try {
      return switch (s) {
        case V3Step.Trade t -> new TradeBatchStep(trades.execute(batch, t.tx()), domain);
        case V3Step.Collateral c -> new CollateralBatchStep(collateral.execute(batch, c.tx()));
        case V3Step.Oracle o ->
            new TickBatchStep(
                ticks.executeOracle(
                    batch, o.tick(), o.record().oraclePrice(), o.record().timestamp()));
        case V3Step.Funding f -> new TickBatchStep(ticks.executeFunding(batch, f.tick()));
        case V3Step.PeriodStart p -> new TickBatchStep(ticks.executePeriodStart(batch, p.start()));
        case V3Step.Liquidation l ->
            LiquidationBatchStep.execute(liquidations, domain, liquidationFeePpm, batch, l.tx());
      };
    } catch (TradeRefusedException e) {
      throw new StepRefusedException(seq, i, s, names(e.reasons()), e);
    } catch (CollateralRefusedException e) {
      throw new StepRefusedException(seq, i, s, names(e.reasons()), e);
    } catch (TickRefusedException e) {
      throw new StepRefusedException(seq, i, s, names(e.reasons()), e);
    } catch (LiquidationRefusedException e) {
      throw new StepRefusedException(seq, i, s, names(e.reasons()), e);
    }
  }

  private static List<String> names(List<? extends Enum<?>> reasons) {
    return reasons.stream().map(Enum::name).toList();
  }
}
