package io.zkperp.batcher.v3;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.state.v2.StateBatchV2;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules shared by the collateral steps, as the Go reference states them ({@code
 * collateralstep/apply.go}): the broken rules collected once each in order of first breach, the
 * account-id range, the signed debit's checks and the credit's range. One instance per transaction,
 * on the batch's thread.
 */
final class CollateralRules {
  private final List<CollateralRefusalReason> broken = new ArrayList<>();

  /** Adds a broken rule unless it is listed already. */
  void add(CollateralRefusalReason r) {
    if (!broken.contains(r)) {
      broken.add(r);
    }
  }

  boolean has(CollateralRefusalReason r) {
    return broken.contains(r);
  }

  /** Throws the refusal listing every rule broken so far, if any. */
  void refuseIfBroken(String what) throws CollateralRefusedException {
    if (!broken.isEmpty()) {
      throw new CollateralRefusedException(broken, what + " breaks " + broken);
    }
  }

  static CollateralRefusedException refused(CollateralRefusalReason reason, String message) {
    return new CollateralRefusedException(List.of(reason), message);
  }

  /**
   * The account id as a leaf index.
   *
   * @throws CollateralRefusedException ACCOUNT_OUT_OF_RANGE for an id of 2^24 or more
   */
  static long leafIndex(int account) throws CollateralRefusedException {
    long id = Integer.toUnsignedLong(account);
    if (id > LayoutV2.INSURANCE_FUND_ACCOUNT) {
      throw refused(
          CollateralRefusalReason.ACCOUNT_OUT_OF_RANGE, "account " + id + " is not below 2^24");
    }
    return id;
  }

  /** The account settled, or null when a figure leaves the int64 range (rule "range"). */
  static SettledAccount settleOrNull(StateBatchV2 batch, AccountV2 a) {
    try {
      return FundingSettlement.settle(batch, a);
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /**
   * {@code collateral + amount} where the amount is at most 2^63 − 1 and the sum stays an int64.
   *
   * @return the sum, or null
   */
  static Long credited(long collateral, long amount) {
    if (amount < 0) {
      return null; // an unsigned amount above 2^63 − 1
    }
    try {
      return Math.addExact(collateral, amount);
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /**
   * The checks of a signed debit (withdrawal, transfer) from account {@code a}: not the fund, the
   * current nonce (not exhausted), the signature under the account's key, a positive amount within
   * 2^63 − 1, funding settled, the amount within the free collateral.
   *
   * @return the account settled, or null when its figures leave the int64 range
   */
  SettledAccount debit(
      StateBatchV2 batch,
      long id,
      AccountV2 a,
      long nonce,
      long amount,
      byte[] signature,
      Fr messageHash) {
    if (id == LayoutV2.INSURANCE_FUND_ACCOUNT) {
      add(CollateralRefusalReason.INSURANCE_FUND);
    }
    if (nonce != a.nonce() || a.nonce() == -1L) { // -1: 2^64 − 1, exhausted
      add(CollateralRefusalReason.NONCE);
    }
    if (!StepSignatures.verifies(StepSignatures.keyOf(a.identity()), signature, messageHash)) {
      add(CollateralRefusalReason.SIGNATURE);
    }
    if (amount == 0) {
      add(CollateralRefusalReason.ZERO_AMOUNT);
    }
    SettledAccount st = settleOrNull(batch, a);
    if (amount < 0 || st == null) {
      add(CollateralRefusalReason.RANGE);
    } else if (st.free() < 0 || amount > st.free()) {
      add(CollateralRefusalReason.FREE_COLLATERAL);
    }
    return st;
  }
}
