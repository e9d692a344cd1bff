package io.zkperp.gateway.bridge;

import io.zkperp.gateway.bridge.history.CollateralChange;
import io.zkperp.gateway.bridge.history.CollateralKind;
import io.zkperp.gateway.bridge.history.FundingPayment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The funding payments and collateral changes of one command, in the order of its state-change
 * records, each numbered per account (its {@code index} in the history's key). {@link AccountState}
 * adds to it while it applies the command's records. Not thread-safe: the writer thread, one
 * command at a time.
 */
final class LedgerEntries {
  private final long journalSeq;
  private final long time;
  private final List<FundingPayment> payments = new ArrayList<>();
  private final List<CollateralChange> changes = new ArrayList<>();
  private final Map<Integer, int[]> next = new HashMap<>(); // account -> {payment, change}

  /**
   * An empty ledger.
   *
   * @param journalSeq the command's journal sequence
   * @param time the time the read model has reached (seconds)
   */
  LedgerEntries(long journalSeq, long time) {
    this.journalSeq = journalSeq;
    this.time = time;
  }

  /**
   * Funding settled into one position (nothing for a zero credit): a payment, and a {@link
   * CollateralKind#FUNDING} change.
   */
  void funding(
      int account,
      int market,
      long size,
      long credit,
      long indexBefore,
      long indexAfter,
      long balanceAfter) {
    if (credit == 0) {
      return;
    }
    int[] n = next.computeIfAbsent(account, k -> new int[2]);
    payments.add(
        new FundingPayment(
            journalSeq, n[0]++, account, market, size, credit, indexBefore, indexAfter, time));
    change(account, CollateralKind.FUNDING, market, -1, credit, balanceAfter);
  }

  /** A collateral change (nothing for a zero amount). */
  void change(
      int account,
      CollateralKind kind,
      int market,
      int counterparty,
      long amount,
      long balanceAfter) {
    if (amount == 0) {
      return;
    }
    int[] n = next.computeIfAbsent(account, k -> new int[2]);
    changes.add(
        new CollateralChange(
            journalSeq, n[1]++, account, kind, market, counterparty, amount, balanceAfter, time));
  }

  /**
   * The payments, in record order.
   *
   * @return the list (live)
   */
  List<FundingPayment> payments() {
    return payments;
  }

  /**
   * The collateral changes, in record order.
   *
   * @return the list (live)
   */
  List<CollateralChange> changes() {
    return changes;
  }
}
