package io.zkperp.node.v3;

import io.zkperp.node.SettlementInput;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the engine's accepted, journaled commands — given in journal order, each with the events it
 * produced — into format v3 steps in execution order (issue #16 scope 4): each {@code TradeSettled}
 * a trade of the taker's and the maker's signed orders ({@link TradeSteps}), each {@code
 * PriceTickApplied} of a signed batch an oracle tick, each {@code FundingTickApplied} a funding
 * tick, each {@code FundingPeriodStarted} a period start ({@link TickSteps}), the collateral
 * records of L1 deposits, signed withdrawals and transfers and L1 forced withdrawals the collateral
 * steps ({@link CollateralSteps}), each {@code Liquidated} (with the {@code Fill} and {@code
 * TradeSettled} of the liquidation order before it) a liquidation fill against the maker's signed
 * order, each {@code InsuranceTakeover} a takeover and each {@code Deleveraged} a deleveraging
 * ({@link LiquidationSteps}).
 *
 * <p>A command with a record no step proves yet — an insurance top-up or a record of an unsigned
 * operator command — is {@link V3Translation.Unprovable} as a whole, naming the record: nothing of
 * it is settled. The engine decides every liquidation transaction on its own state, as the steps do
 * (docs/perp-circuit.md §11.3); a record that broke a step's rule on the state — a fill or takeover
 * of an account no longer liquidatable, a deleveraging of a non-negative account or at another
 * price than its own bankruptcy price — needs the state to be seen, and the settler's step refuses
 * it with a typed {@code StepRefusedException} ({@code NOT_LIQUIDATABLE}, {@code NOT_BANKRUPT},
 * {@code BANKRUPTCY_PRICE}) before anything of the command is written.
 *
 * <p>State kept across commands, all of it bounded by the engine's own state: the signed orders of
 * the live orders ({@link LiveOrders}, released when the engine closes them), each account's bound
 * L1 owner (from its first L1 deposit; a withdrawal message names it), and the core's time (the
 * last {@code Tick}), which is the batch time T each tick step is proven under (every step's time
 * is at most the core's time). Every command must be given, accepted ones only, in journal order:
 * an order placed by a command not given cannot be found when it fills. A node restarting from a
 * snapshot restores it at the snapshot's record instead ({@link #CommandTranslator(FeeSchedule,
 * TranslatorState, Map)}: the live orders and time a replica wrote into the snapshot, the owners
 * from the snapshot's accounts).
 *
 * <p>Confined to one thread (the settlement's).
 */
public final class CommandTranslator {
  private final FeeSchedule fees;
  private final TranslatorState state;
  private final LiveOrders live;
  private final Map<Integer, L1Address> owners;

  /**
   * A translator starting at the engine's genesis (or at a state whose live orders and owners it
   * does not need: only orders placed after it can be traded).
   *
   * @param fees the engine's fee rates
   * @param time the core's time at the start
   */
  public CommandTranslator(FeeSchedule fees, long time) {
    this(fees, new TranslatorState(time), Map.of());
  }

  /**
   * A translator restored at a snapshot's journal record: the live orders and the core's time from
   * the snapshot's {@link TranslatorState}, the owners from the accounts' bindings in the same
   * snapshot ({@code L2Accounts}, which binds each account's owner from the same first deposit as
   * this translator does). The next command given must be the record after the snapshot's.
   *
   * @param fees the engine's fee rates
   * @param state the state at the snapshot's record (taken over, not copied)
   * @param owners each bound account's L1 owner at the snapshot's record (copied)
   */
  public CommandTranslator(
      FeeSchedule fees, TranslatorState state, Map<Integer, L1Address> owners) {
    this.fees = Objects.requireNonNull(fees, "fees");
    this.state = Objects.requireNonNull(state, "state");
    this.live = state.live();
    this.owners = new HashMap<>(owners);
  }

  /**
   * Translates the next accepted command.
   *
   * @param in the command with its journal sequence and its events
   * @return its steps (possibly none), or why it cannot be proven
   */
  public V3Translation translate(SettlementInput in) {
    Command command = in.command();
    state.tick(command);
    long time = state.time();
    String unprovable = unprovableRecord(in.events());
    List<V3Step> steps = new ArrayList<>();
    V3Translation.Unprovable refusal =
        unprovable == null
            ? null
            : new V3Translation.Unprovable(
                in.seq(),
                command.getClass().getSimpleName(),
                unprovable,
                "no format v3 step proves a " + unprovable + " record yet");
    SequencerEvent.Fill fill = null;
    SequencerEvent.TradeSettled liquidationTrade = null;
    SignedOrder liquidationMaker = null;
    boolean paid = false;
    for (SequencerEvent e : in.events()) {
      if (refusal == null) {
        try {
          switch (e) {
            case SequencerEvent.Fill f -> fill = f;
            case SequencerEvent.TradeSettled r -> {
              if (LiquidationSteps.isLiquidationFill(fill)) {
                liquidationTrade = r; // its Liquidated record follows
                liquidationMaker = live.get(fill.makerOrderId());
              } else {
                steps.add(TradeSteps.trade(fill, r, live, fees));
                fill = null;
              }
            }
            case SequencerEvent.Liquidated r -> {
              steps.add(LiquidationSteps.fill(fill, liquidationTrade, liquidationMaker, r, fees));
              fill = null;
              liquidationTrade = null;
              liquidationMaker = null;
            }
            case SequencerEvent.InsuranceTakeover r -> steps.add(LiquidationSteps.takeover(r));
            case SequencerEvent.Deleveraged r -> steps.add(LiquidationSteps.deleveraging(r));
            case SequencerEvent.PriceTickApplied p -> steps.add(TickSteps.oracle(command, p, time));
            case SequencerEvent.FundingTickApplied f -> steps.add(TickSteps.funding(f, time));
            case SequencerEvent.FundingPeriodStarted s -> steps.add(TickSteps.periodStart(s, time));
            case SequencerEvent.Deposited d ->
                steps.add(CollateralSteps.step(command, d, owners::get));
            case SequencerEvent.Withdrawn w -> {
              steps.add(CollateralSteps.step(command, w, owners::get));
              paid = true;
            }
            case SequencerEvent.Transferred t ->
                steps.add(CollateralSteps.step(command, t, owners::get));
            default -> {}
          }
        } catch (UnprovableRecordException x) {
          refusal =
              new V3Translation.Unprovable(
                  in.seq(), command.getClass().getSimpleName(), x.record(), x.getMessage());
        }
      }
      live.follow(command, e);
    }
    if (command instanceof CreditL1Deposit d) {
      owners.putIfAbsent(d.account(), d.owner());
    }
    if (refusal == null && liquidationTrade != null) {
      refusal =
          new V3Translation.Unprovable(
              in.seq(),
              command.getClass().getSimpleName(),
              "TradeSettled",
              "a liquidation order's fill without its Liquidated record: " + liquidationTrade);
    }
    if (refusal != null) {
      return refusal;
    }
    if (command instanceof ServeL1ForcedWithdrawal f && !paid) {
      steps.add(CollateralSteps.unpaid(f));
    }
    return new V3Translation.Steps(in.seq(), steps);
  }

  /**
   * How many signed orders are kept (the engine's live orders, conditional ones included).
   *
   * @return the count
   */
  public int liveOrders() {
    return live.size();
  }

  /**
   * The live orders and the core's time as a snapshot stores them ({@link TranslatorState#encode}).
   *
   * @return the encoding
   */
  public byte[] encodeState() {
    return state.encode();
  }

  /**
   * The bound owners (a copy), for comparing a restored translator with one that followed the whole
   * journal.
   *
   * @return account → L1 owner
   */
  Map<Integer, L1Address> owners() {
    return Map.copyOf(owners);
  }

  /** The first record of a kind no step proves, or null. */
  private static String unprovableRecord(List<SequencerEvent> events) {
    for (SequencerEvent e : events) {
      switch (e) {
        case SequencerEvent.InsuranceFundToppedUp x -> {
          return "InsuranceFundToppedUp";
        }
        case SequencerEvent.ForcedTradeServed x -> {
          return "ForcedTradeServed"; // until the forced-trade group's Java encoder exists
        }
        default -> {}
      }
    }
    return null;
  }
}
