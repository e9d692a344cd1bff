package io.zkperp.node.v3;

import io.zkperp.batcher.v3.CollateralExecution;
import io.zkperp.batcher.v3.CollateralRefusedException;
import io.zkperp.batcher.v3.TradeExecution;
import io.zkperp.batcher.v3.TradeRefusedException;
import io.zkperp.batcher.v3.ticks.TickExecution;
import io.zkperp.batcher.v3.ticks.TickRefusedException;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import java.util.List;
import java.util.Objects;

/**
 * Executes the format v3 steps of one command at a time on a layout v2 {@link StateStoreV2} with
 * the batcher's executions ({@link TradeExecution}, {@link CollateralExecution}, {@link
 * TickExecution}, in witness mode, as the circuit's Go references do) and, after each step,
 * compares the tree with the engine's record ({@link RecordCheck}). A command whose steps all pass
 * and agree is committed as the store's next version; at the first refusal ({@link
 * StepRefusedException}) or disagreement ({@link DisagreementException}) the command's batch is
 * aborted, so the store stays at the previous command and nothing of this one is written.
 *
 * <p>One version per command is this class's unit of agreement, not a batch format: sealing
 * commands into format v3 batches (several commands per version, witnesses, public input) is not
 * done here.
 *
 * <p>Confined to the store's writer thread.
 */
public final class V3Settler {
  private final StateStoreV2 store;
  private final TradeExecution trades;
  private final CollateralExecution collateral;
  private final TickExecution ticks;
  private long steps;

  /**
   * A settler on a store, for messages signed in one deployment's domain.
   *
   * @param store the layout v2 store (its genesis written by {@link EngineGenesis})
   * @param domain the deployment
   */
  public V3Settler(StateStoreV2 store, MessageDomain domain) {
    this.store = Objects.requireNonNull(store, "store");
    this.trades = new TradeExecution(domain);
    this.collateral = new CollateralExecution(domain);
    this.ticks = new TickExecution(domain);
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
    if (command.steps().isEmpty()) {
      return store.roots();
    }
    StateBatchV2 batch = store.beginBatch();
    boolean committed = false;
    try {
      List<V3Step> list = command.steps();
      for (int i = 0; i < list.size(); i++) {
        V3Step s = list.get(i);
        long paid = execute(batch, command.seq(), i, s);
        Disagreement d = RecordCheck.check(batch, command.seq(), i, s, paid);
        if (d != null) {
          throw new DisagreementException(d);
        }
      }
      StateRootsV2 roots = batch.commit();
      committed = true;
      steps += list.size();
      return roots;
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

  private long execute(StateBatchV2 batch, long seq, int i, V3Step s) throws StepRefusedException {
    try {
      switch (s) {
        case V3Step.Trade t -> trades.execute(batch, t.tx());
        case V3Step.Collateral c -> {
          return collateral.execute(batch, c.tx()).paid();
        }
        case V3Step.Oracle o ->
            ticks.executeOracle(batch, o.tick(), o.record().oraclePrice(), o.record().timestamp());
        case V3Step.Funding f -> ticks.executeFunding(batch, f.tick());
        case V3Step.PeriodStart p -> ticks.executePeriodStart(batch, p.start());
      }
      return 0;
    } catch (TradeRefusedException e) {
      throw new StepRefusedException(seq, i, s, names(e.reasons()), e);
    } catch (CollateralRefusedException e) {
      throw new StepRefusedException(seq, i, s, names(e.reasons()), e);
    } catch (TickRefusedException e) {
      throw new StepRefusedException(seq, i, s, names(e.reasons()), e);
    }
  }

  private static List<String> names(List<? extends Enum<?>> reasons) {
    return reasons.stream().map(Enum::name).toList();
  }
}
