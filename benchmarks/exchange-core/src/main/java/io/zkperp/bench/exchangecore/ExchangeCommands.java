package io.zkperp.bench.exchangecore;

import exchange.core2.core.common.OrderAction;
import exchange.core2.core.common.OrderType;
import exchange.core2.core.common.cmd.OrderCommand;
import exchange.core2.core.common.cmd.OrderCommandType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.CancelOrder;
import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.Tick;
import java.util.HashMap;
import java.util.Map;

/**
 * zkperp's benchmark commands as exchange-core order commands, converted once before any timing: a
 * limit GTC or IOC order → {@code PLACE_ORDER} (uid = account + 1, a new order id), a cancel by
 * client id → {@code CANCEL_ORDER} of that order id, a cancel-replace → {@code MOVE_ORDER} of the
 * same order id to the replacement's price (exchange-core's move keeps the size; zkperp's
 * replacement may change it — the one difference in the stream). {@code AddMarket} and {@code Tick}
 * have no counterpart (the symbol is set up before the run). One thread.
 */
final class ExchangeCommands {
  static final int SYMBOL = 1;

  /** The converted commands, flattened: one template per command, prefix first. */
  final OrderCommand[] templates;

  /** How many leading templates set the book up (not timed). */
  final int prefix;

  ExchangeCommands(Command[] commands, int zkperpPrefix) {
    Map<Long, Long> orderIds = new HashMap<>();
    OrderCommand[] out = new OrderCommand[commands.length];
    int n = 0;
    int prefix = 0;
    long nextOrderId = 1;
    for (int i = 0; i < commands.length; i++) {
      OrderCommand c =
          switch (commands[i]) {
            case AddMarket a -> null;
            case Tick t -> null;
            case PlaceOrder p -> {
              long id = nextOrderId++;
              orderIds.put(key(p.account(), p.clientOrderId()), id);
              yield place(p, id);
            }
            case CancelOrder c0 -> {
              Long id = orderIds.get(key(c0.account(), (int) c0.id()));
              yield OrderCommand.cancel(id == null ? 0 : id, uid(c0.account()));
            }
            case CancelReplace r -> {
              Long id = orderIds.get(key(r.account(), (int) r.id()));
              yield OrderCommand.update(
                  id == null ? 0 : id, uid(r.account()), r.replacement().price());
            }
            default ->
                throw new IllegalArgumentException("no exchange-core counterpart: " + commands[i]);
          };
      if (c != null) {
        c.symbol = SYMBOL;
        out[n++] = c;
      }
      if (i == zkperpPrefix - 1) {
        prefix = n;
      }
    }
    this.templates = java.util.Arrays.copyOf(out, n);
    this.prefix = prefix;
  }

  private static OrderCommand place(PlaceOrder p, long orderId) {
    if (p.timeInForce() != TimeInForce.GTC && p.timeInForce() != TimeInForce.IOC) {
      throw new IllegalArgumentException("only GTC and IOC limit orders: " + p);
    }
    OrderCommand c =
        OrderCommand.newOrder(
            p.timeInForce() == TimeInForce.GTC ? OrderType.GTC : OrderType.IOC,
            orderId,
            uid(p.account()),
            p.price(),
            p.price(),
            p.size(),
            p.side() == Side.BUY ? OrderAction.BID : OrderAction.ASK);
    c.command = OrderCommandType.PLACE_ORDER;
    return c;
  }

  static long uid(int account) {
    return account + 1L;
  }

  private static long key(int account, int clientOrderId) {
    return ((long) account << 32) | Integer.toUnsignedLong(clientOrderId);
  }
}
