package io.zkperp.sequencer;

import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.CancelAll;
import io.zkperp.sequencer.command.CancelOrder;
import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.Tick;
import java.util.SplittableRandom;

/**
 * Deterministic stream of random commands exercising every command, order type and flag, with a
 * realistic share of rejections (bad ticks, replayed nonces, unknown orders...). Two markets,
 * {@code accounts} accounts, prices around a drifting mid so orders cross often.
 */
public final class RandomCommands {
  private final SplittableRandom rnd;
  private final int accounts;
  private final long[] nonces;
  private final int[] nextClientId;
  private long time = 1_000;
  private long oracleTime = 1;
  private final long[] mid = {0, 10_000, 5_000};
  private int emitted;

  public RandomCommands(long seed, int accounts) {
    this.rnd = new SplittableRandom(seed);
    this.accounts = accounts;
    this.nonces = new long[accounts];
    this.nextClientId = new int[accounts];
  }

  public Command next() {
    int n = emitted++;
    if (n == 0) {
      return new AddMarket(1, 10, 1, 1);
    }
    if (n == 1) {
      return new AddMarket(2, 5, 2, 4);
    }
    int market = 1 + rnd.nextInt(2);
    int r = rnd.nextInt(1000);
    if (r < 480) {
      return place(market);
    }
    if (r < 620) {
      int account = rnd.nextInt(accounts);
      return new CancelReplace(account, true, recentClientId(account), place(market, account));
    }
    if (r < 800) {
      int account = rnd.nextInt(accounts);
      return rnd.nextBoolean()
          ? new CancelOrder(account, true, recentClientId(account))
          : new CancelOrder(account, false, 1 + rnd.nextInt(Math.max(1, n)));
    }
    if (r < 810) {
      return new CancelAll(
          rnd.nextInt(accounts), rnd.nextBoolean() ? CancelAll.ALL_MARKETS : market);
    }
    if (r < 900) {
      mid[market] = Math.max(500, mid[market] + (rnd.nextInt(21) - 10) * 10L);
      oracleTime += rnd.nextInt(3);
      return new OraclePrice(market, mid[market] - mid[market] % 10, oracleTime);
    }
    if (r < 995) {
      time += rnd.nextInt(4);
      return new Tick(time);
    }
    // malformed-ish values: rejected
    return new Tick(time - 1 - rnd.nextInt(5));
  }

  private long recentClientId(int account) {
    return Math.max(0, nextClientId[account] - 1 - rnd.nextInt(8));
  }

  private PlaceOrder place(int market) {
    return place(market, rnd.nextInt(accounts));
  }

  private PlaceOrder place(int market, int account) {
    long tick = market == 1 ? 10 : 5;
    Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
    long offset = (rnd.nextInt(21) - 8) * tick; // > 0 = aggressive
    long price = side == Side.BUY ? mid[market] + offset : mid[market] - offset;
    price = Math.max(tick, price - price % tick);
    if (rnd.nextInt(50) == 0) {
      price += 1; // not a tick multiple
    }
    long size = market == 1 ? 1 + rnd.nextInt(20) : 4 + 2 * rnd.nextInt(10);
    if (rnd.nextInt(60) == 0) {
      size = 1; // step / minimum violations on market 2
    }
    int t = rnd.nextInt(100);
    OrderType type = OrderType.LIMIT;
    TimeInForce tif = TimeInForce.GTC;
    if (t < 8) {
      type = OrderType.MARKET;
      tif = rnd.nextBoolean() ? TimeInForce.IOC : TimeInForce.FOK;
    } else if (t < 18) {
      tif = TimeInForce.IOC;
    } else if (t < 24) {
      tif = TimeInForce.FOK;
    } else if (t < 34) {
      tif = TimeInForce.POST_ONLY;
    }
    boolean reduceOnly = rnd.nextInt(12) == 0;
    if (reduceOnly && rnd.nextInt(4) != 0) {
      tif = TimeInForce.IOC;
    }
    TriggerType trigger = TriggerType.NONE;
    long triggerPrice = 0;
    int c = rnd.nextInt(40);
    if (c == 0 || c == 1) {
      trigger = c == 0 ? TriggerType.STOP_LOSS : TriggerType.TAKE_PROFIT;
      triggerPrice = Math.max(tick, mid[market] + (rnd.nextInt(31) - 15) * tick);
      triggerPrice -= triggerPrice % tick;
    }
    long nonce;
    int k = rnd.nextInt(100);
    if (k < 3 && nonces[account] > 0) {
      nonce = Math.max(1, nonces[account] - rnd.nextInt(5)); // replay or out of order
    } else if (k < 4) {
      nonce = nonces[account] + 4_096; // slot take-over (window 2^12)
      nonces[account] = nonce;
    } else {
      nonce = ++nonces[account];
    }
    int clientId = rnd.nextInt(10) == 0 ? (int) recentClientId(account) : nextClientId[account]++;
    long expiry = rnd.nextInt(4) == 0 ? time + 1 + rnd.nextInt(40) : 4_000_000_000L;
    return new PlaceOrder(
        account,
        market,
        side,
        clientId,
        type,
        tif,
        reduceOnly,
        size,
        price,
        rnd.nextInt(100),
        expiry,
        nonce,
        trigger,
        triggerPrice,
        new byte[PlaceOrder.SIGNATURE_BYTES]);
  }
}
