package io.zkperp.sequencer.core;

import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.book.OrderBookFactory;
import java.io.BufferedOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The canonical serialisation of a core's state, used both for snapshots and for the state hash
 * (SHA-256 of the serialisation). Canonical: markets by id; each book's resting orders in priority
 * order (bids best first, then asks best first); parked conditional orders by order id; non-zero
 * positions by key; nonce slots by key. Two cores have the same hash iff they hold the same books,
 * positions, nonce slots, oracle prices, time and next order id, followed by the risk hook's own
 * state ({@link RiskHook#writeState}: nothing for the permissive hook, accounts, collateral and
 * positions for the risk engine). The layout is in {@code sequencer/README.md}. Core thread (or any
 * thread once the core is no longer used).
 */
public final class CoreState {
  /**
   * Format version written first: 3 since the nonce window shrank to 2^12 slots (a format-2 state
   * keeps slots of nonce mod 2^16 and is refused).
   */
  public static final int FORMAT = 3;

  private CoreState() {}

  /**
   * Writes the state canonically.
   *
   * @param core the core
   * @param out the destination
   * @throws IOException if writing fails
   */
  public static void write(SequencerCore core, DataOutput out) throws IOException {
    out.writeInt(FORMAT);
    out.writeByte(core.selfTradePrevention().ordinal());
    out.writeLong(core.time);
    out.writeLong(core.live.nextOrderId);
    out.writeLong(core.nextPriorityIndex);
    int[] ids = core.marketIds();
    out.writeInt(ids.length);
    for (int id : ids) {
      MarketState m = core.markets[id];
      out.writeInt(m.id);
      out.writeLong(m.tickSize);
      out.writeLong(m.stepSize);
      out.writeLong(m.minSize);
      out.writeLong(m.oraclePrice);
      out.writeLong(m.oracleTimestamp);
      List<Order> resting = new ArrayList<>(m.book.orderCount());
      m.book.forEach(resting::add);
      out.writeInt(resting.size());
      for (Order o : resting) {
        writeOrder(o, out);
      }
      out.writeInt(m.parked.size());
      for (Order o : m.parked) {
        writeOrder(o, out);
      }
    }
    long[] posKeys = core.positions.sortedNonZeroKeys();
    out.writeInt(posKeys.length);
    for (long k : posKeys) {
      out.writeLong(k);
      out.writeLong(core.positions.get(k));
    }
    out.writeInt(core.nonceSlots.size());
    core.nonceSlots.forEach(
        (account, slot, nonce, filled, state) -> {
          out.writeLong(((long) account << 16) | slot);
          out.writeLong(nonce);
          out.writeLong(filled);
          out.writeLong(state);
        });
    core.risk.writeState(out);
  }

  private static void writeOrder(Order o, DataOutput out) throws IOException {
    out.writeLong(o.orderId);
    out.writeInt(o.account);
    out.writeInt(o.market);
    out.writeByte(o.side.ordinal());
    out.writeByte(o.type.ordinal());
    out.writeByte(o.timeInForce.ordinal());
    out.writeBoolean(o.reduceOnly);
    out.writeInt(o.clientOrderId);
    out.writeLong(o.price);
    out.writeLong(o.signedSize);
    out.writeLong(o.remaining);
    out.writeLong(o.feeCap);
    out.writeLong(o.expiry);
    out.writeLong(o.nonce);
    out.writeByte(o.trigger.ordinal());
    out.writeLong(o.triggerPrice);
  }

  /**
   * Reads a state written by {@link #write} into a new core.
   *
   * @param in the source
   * @param bookFactory the books to build
   * @param risk the risk hook of the new core
   * @param listener the listener of the new core
   * @return the restored core
   * @throws IOException if reading fails or the format is unknown
   */
  public static SequencerCore read(
      DataInput in, OrderBookFactory bookFactory, RiskHook risk, CoreListener listener)
      throws IOException {
    int format = in.readInt();
    if (format != FORMAT) {
      throw new IOException("unknown core state format " + format + ", expected " + FORMAT);
    }
    SelfTradePrevention stp = SelfTradePrevention.values()[in.readByte()];
    SequencerCore core = new SequencerCore(bookFactory, stp, risk, listener);
    core.time = in.readLong();
    core.live.nextOrderId = in.readLong();
    core.nextPriorityIndex = in.readLong();
    int markets = in.readInt();
    for (int n = 0; n < markets; n++) {
      MarketState m = core.listMarket(in.readInt(), in.readLong(), in.readLong(), in.readLong());
      m.oraclePrice = in.readLong();
      m.oracleTimestamp = in.readLong();
      int resting = in.readInt();
      for (int i = 0; i < resting; i++) {
        core.restoreOrder(readOrder(in), false);
      }
      int parked = in.readInt();
      for (int i = 0; i < parked; i++) {
        core.restoreOrder(readOrder(in), true);
      }
    }
    int positions = in.readInt();
    for (int i = 0; i < positions; i++) {
      core.positions.add(in.readLong(), in.readLong());
    }
    int slots = in.readInt();
    for (int i = 0; i < slots; i++) {
      int account = (int) (in.readLong() >>> 16);
      core.nonceSlots.set(account, in.readLong(), in.readLong(), in.readLong());
    }
    risk.readState(in);
    return core;
  }

  private static Order readOrder(DataInput in) throws IOException {
    Order o = new Order();
    o.orderId = in.readLong();
    o.account = in.readInt();
    o.market = in.readInt();
    o.side = Side.values()[in.readByte()];
    o.type = OrderType.values()[in.readByte()];
    o.timeInForce = TimeInForce.values()[in.readByte()];
    o.reduceOnly = in.readBoolean();
    o.clientOrderId = in.readInt();
    o.price = in.readLong();
    o.signedSize = in.readLong();
    o.remaining = in.readLong();
    o.feeCap = in.readLong();
    o.expiry = in.readLong();
    o.nonce = in.readLong();
    o.trigger = TriggerType.values()[in.readByte()];
    o.triggerPrice = in.readLong();
    return o;
  }

  /**
   * The state hash: SHA-256 of {@link #write}'s bytes.
   *
   * @param core the core
   * @return 32 bytes
   */
  public static byte[] hash(SequencerCore core) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
    try (DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(
                new DigestOutputStream(OutputStream.nullOutputStream(), sha), 1 << 16))) {
      write(core, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sha.digest();
  }

  /**
   * The state hash in hex.
   *
   * @param core the core
   * @return 64 hex digits
   */
  public static String hashHex(SequencerCore core) {
    return HexFormat.of().formatHex(hash(core));
  }
}
