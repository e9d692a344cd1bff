package io.zkperp.node;

import io.zkperp.batcher.L2Transaction;
import io.zkperp.batcher.SignatureBytes;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.SignedTransferCollateral;
import io.zkperp.sequencer.command.SignedWithdrawCollateral;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one journaled command and its state-change records into what the settlement does with it
 * ({@link Translation}). The collateral transactions the circuit proves today come from the
 * commands that carry what the circuit checks: {@link CreditL1Deposit} (deposit, with owner and
 * key), {@link ServeL1ForcedWithdrawal} (forced withdrawal), {@link SignedWithdrawCollateral}
 * (withdrawal: signature, nonce) and {@link SignedTransferCollateral} (transfer). Any other command
 * whose records change state — a trade, a price, funding, a liquidation, an unsigned operator
 * deposit, withdrawal, transfer or insurance top-up — is {@link Translation.Unprovable}: not
 * dropped, the settlement pauses before it. Commands without state-change records are {@link
 * Translation.Skip}. Stateless; any thread.
 */
public final class SettlementRecords {
  private SettlementRecords() {}

  /**
   * Translates one command.
   *
   * @param in the command and its events
   * @return what to do with it
   */
  public static Translation translate(SettlementInput in) {
    List<SequencerEvent> records = new ArrayList<>();
    for (SequencerEvent e : in.events()) {
      if (changesState(e)) {
        records.add(e);
      }
    }
    return switch (in.command()) {
      case CreditL1Deposit d -> {
        EdDsaPublicKey key;
        try {
          key = EdDsaPublicKey.of(d.keyX(), d.keyY());
        } catch (InvalidEncodingException e) {
          yield new Translation.Unprovable(
              "L1 deposit " + d.priorityIndex() + " names a key the circuit refuses: " + e);
        }
        yield new Translation.Settle(
            new L2Transaction.Deposit(d.account(), d.owner(), key, d.amount()),
            after(records, d.account()));
      }
      case ServeL1ForcedWithdrawal f ->
          new Translation.Settle(
              new L2Transaction.ForcedWithdrawal(f.account(), f.owner(), f.amount()),
              records.isEmpty() ? Map.of() : after(records, f.account()));
      case SignedWithdrawCollateral w ->
          new Translation.Settle(
              new L2Transaction.Withdrawal(
                  w.account(), w.amount(), w.nonce(), new SignatureBytes(w.signature())),
              after(records, w.account()));
      case SignedTransferCollateral t ->
          new Translation.Settle(
              new L2Transaction.Transfer(
                  t.from(), t.to(), t.amount(), t.nonce(), new SignatureBytes(t.signature())),
              transferred(records));
      default ->
          records.isEmpty()
              ? new Translation.Skip()
              : new Translation.Unprovable(
                  in.command().getClass().getSimpleName()
                      + " at journal record "
                      + in.seq()
                      + " with "
                      + records.stream()
                          .map(r -> r.getClass().getSimpleName())
                          .distinct()
                          .toList());
    };
  }

  /**
   * Whether a record changes state the settlement must carry (the sequencer's "State-change
   * records"; {@code LiquidationTriggered} and the order events change none).
   *
   * @param e an event
   * @return true for a state-change record
   */
  static boolean changesState(SequencerEvent e) {
    return switch (e) {
      case SequencerEvent.Deposited x -> true;
      case SequencerEvent.Withdrawn x -> true;
      case SequencerEvent.Transferred x -> true;
      case SequencerEvent.InsuranceFundToppedUp x -> true;
      case SequencerEvent.TradeSettled x -> true;
      case SequencerEvent.PriceTickApplied x -> true;
      case SequencerEvent.FundingPeriodStarted x -> true;
      case SequencerEvent.FundingTickApplied x -> true;
      case SequencerEvent.FundingTickDerived x -> true;
      case SequencerEvent.Liquidated x -> true;
      case SequencerEvent.InsuranceTakeover x -> true;
      case SequencerEvent.Deleveraged x -> true;
      case SequencerEvent.ForcedTradeServed x -> true;
      default -> false;
    };
  }

  private static Map<Integer, Long> after(List<SequencerEvent> records, int account) {
    for (SequencerEvent e : records) {
      if (e instanceof SequencerEvent.Deposited d && d.account() == account) {
        return Map.of(account, d.collateralAfter());
      }
      if (e instanceof SequencerEvent.Withdrawn w && w.account() == account) {
        return Map.of(account, w.collateralAfter());
      }
    }
    throw new IllegalStateException("no collateral record for account " + account + ": " + records);
  }

  private static Map<Integer, Long> transferred(List<SequencerEvent> records) {
    for (SequencerEvent e : records) {
      if (e instanceof SequencerEvent.Transferred t) {
        return Map.of(t.from(), t.fromCollateralAfter(), t.to(), t.toCollateralAfter());
      }
    }
    throw new IllegalStateException("no Transferred record: " + records);
  }
}
