package io.zkperp.node.v3;

import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.List;

/**
 * The order-to-L1 scenario on a {@link FixtureChain}: two traders (accounts 1 and 2) credited by
 * their L1 deposits (priority operations 0 and 1), a quorum-signed oracle tick on market 1, a
 * maker's GTC sell crossed by a taker's IOC buy, an operator funding tick, and a signed withdrawal
 * of part of the maker's free collateral; then the open batch is sealed. On v3-tiny (one deposit
 * slot) the second deposit seals batch 1 (the first deposit alone), and the rest is batch 2.
 */
final class OrderScenario {
  static final int MAKER = 1;
  static final int TAKER = 2;
  static final long DEPOSIT = 1_000_000;
  static final long PRICE = 10_000;
  static final long SIZE = 10;
  static final long WITHDRAWN = 250_000;

  private OrderScenario() {}

  /**
   * Runs the scenario.
   *
   * @param chain the chain at its start
   * @param maker the maker's L1 owner
   * @param taker the taker's L1 owner
   * @return the fill's events
   */
  static List<SequencerEvent> run(FixtureChain chain, L1Address maker, L1Address taker)
      throws Exception {
    chain.apply(FixtureChain.deposit(0, MAKER, maker, DEPOSIT));
    chain.apply(FixtureChain.deposit(1, TAKER, taker, DEPOSIT));
    chain.apply(new Tick(chain.now + 5));
    chain.apply(chain.oracle(1, PRICE));
    chain.apply(FixtureChain.order(MAKER, 1, Side.SELL, TimeInForce.GTC, SIZE, PRICE, 1));
    List<SequencerEvent> fill =
        chain.apply(FixtureChain.order(TAKER, 1, Side.BUY, TimeInForce.IOC, SIZE, PRICE, 1));
    chain.apply(new FundingTick(1, 0, chain.now));
    chain.apply(FixtureChain.withdrawal(MAKER, maker, WITHDRAWN, 0));
    chain.seal();
    return fill;
  }
}
