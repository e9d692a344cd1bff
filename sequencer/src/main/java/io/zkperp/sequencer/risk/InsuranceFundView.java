package io.zkperp.sequencer.risk;

/**
 * A read view of the insurance fund's account (account {@link RiskEngine#INSURANCE_FUND}): the
 * collateral it holds (liquidation fees in, takeover losses out), the positions it took over and
 * its equity. Reads the engine's live state: core thread only ({@link RiskEngine#insuranceFund}).
 */
public final class InsuranceFundView {
  private final AccountBook book;

  InsuranceFundView(AccountBook book) {
    this.book = book;
  }

  /**
   * The fund's collateral.
   *
   * @return collateral quanta
   */
  public long collateral() {
    return book.fund().collateral;
  }

  /**
   * The fund's signed position in a market.
   *
   * @param market the market
   * @return synthetic quanta
   */
  public long position(int market) {
    return book.fund().size(market);
  }

  /**
   * The funding index snapshot of one of the fund's positions.
   *
   * @param market the market
   * @return the snapshot, 0 if the fund has no position in it
   */
  public long fundingSnapshot(int market) {
    Account fund = book.fund();
    int i = fund.find(market);
    return i < 0 ? 0 : fund.fundingSnapshots[i];
  }

  /**
   * The fund's equity: collateral + pending funding + Σ value of its positions.
   *
   * @return collateral quanta
   */
  public long equity() {
    return book.equity(book.fund());
  }
}
