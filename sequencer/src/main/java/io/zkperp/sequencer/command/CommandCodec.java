package io.zkperp.sequencer.command;

import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Compact little-endian binary encoding of commands, used by the journal and the intake pipeline.
 * Every record starts with a one-byte type; the layouts are in {@code sequencer/README.md} (a
 * PlaceOrder is 128 bytes, a Cancel 14). Stateless; any thread.
 */
public final class CommandCodec {
  /** Type byte of {@link PlaceOrder}. */
  public static final byte PLACE_ORDER = 1;

  /** Type byte of {@link CancelOrder}. */
  public static final byte CANCEL_ORDER = 2;

  /** Type byte of {@link CancelReplace}. */
  public static final byte CANCEL_REPLACE = 3;

  /** Type byte of {@link CancelAll}. */
  public static final byte CANCEL_ALL = 4;

  /** Type byte of {@link OraclePrice}. */
  public static final byte ORACLE_PRICE = 5;

  /** Type byte of {@link Tick}. */
  public static final byte TICK = 6;

  /** Type byte of {@link AddMarket}. */
  public static final byte ADD_MARKET = 7;

  /** Type byte of {@link DepositCollateral}. */
  public static final byte DEPOSIT_COLLATERAL = 8;

  /** Type byte of {@link WithdrawCollateral}. */
  public static final byte WITHDRAW_COLLATERAL = 9;

  /** Type byte of {@link FundingTick}. */
  public static final byte FUNDING_TICK = 10;

  /** Type byte of {@link TransferCollateral}. */
  public static final byte TRANSFER_COLLATERAL = 11;

  /** Encoded size of a PlaceOrder, type byte included. */
  public static final int PLACE_ORDER_BYTES = 1 + 4 + 4 + 1 + 1 + 1 + 4 + 6 * 8 + 64;

  /** An upper bound of any encoded command's size. */
  public static final int MAX_BYTES = 1 + 4 + 1 + 8 + PLACE_ORDER_BYTES;

  private static final int FLAG_SELL = 1;
  private static final int FLAG_MARKET = 2;
  private static final int FLAG_REDUCE_ONLY = 4;
  private static final TimeInForce[] TIFS = TimeInForce.values();
  private static final TriggerType[] TRIGGERS = TriggerType.values();

  private CommandCodec() {}

  /**
   * Encodes a command into a new array.
   *
   * @param command the command
   * @return its encoding
   */
  public static byte[] encode(Command command) {
    ByteBuffer buf = ByteBuffer.allocate(MAX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    encode(command, buf);
    byte[] out = new byte[buf.position()];
    buf.flip().get(out);
    return out;
  }

  /**
   * Encodes a command at the buffer's position (which must be little-endian).
   *
   * @param command the command
   * @param buf the destination; its position advances
   */
  public static void encode(Command command, ByteBuffer buf) {
    switch (command) {
      case PlaceOrder p -> {
        buf.put(PLACE_ORDER);
        putOrder(p, buf);
      }
      case CancelOrder c -> {
        buf.put(CANCEL_ORDER);
        buf.putInt(c.account());
        buf.put((byte) (c.byClientOrderId() ? 1 : 0));
        buf.putLong(c.id());
      }
      case CancelReplace r -> {
        buf.put(CANCEL_REPLACE);
        buf.putInt(r.account());
        buf.put((byte) (r.byClientOrderId() ? 1 : 0));
        buf.putLong(r.id());
        putOrder(r.replacement(), buf);
      }
      case CancelAll a -> {
        buf.put(CANCEL_ALL);
        buf.putInt(a.account());
        buf.putInt(a.market());
      }
      case OraclePrice o -> {
        buf.put(ORACLE_PRICE);
        buf.putInt(o.market());
        buf.putLong(o.price());
        buf.putLong(o.timestamp());
      }
      case Tick t -> {
        buf.put(TICK);
        buf.putLong(t.time());
      }
      case AddMarket m -> {
        buf.put(ADD_MARKET);
        buf.putInt(m.market());
        buf.putLong(m.tickSize());
        buf.putLong(m.stepSize());
        buf.putLong(m.minSize());
      }
      case DepositCollateral d -> {
        buf.put(DEPOSIT_COLLATERAL);
        buf.putInt(d.account());
        buf.putLong(d.amount());
      }
      case WithdrawCollateral w -> {
        buf.put(WITHDRAW_COLLATERAL);
        buf.putInt(w.account());
        buf.putLong(w.amount());
      }
      case FundingTick f -> {
        buf.put(FUNDING_TICK);
        buf.putInt(f.market());
        buf.putLong(f.indexDelta());
        buf.putLong(f.timestamp());
      }
      case TransferCollateral t -> {
        buf.put(TRANSFER_COLLATERAL);
        buf.putInt(t.from());
        buf.putInt(t.to());
        buf.putLong(t.amount());
      }
    }
  }

  /**
   * Decodes one command from an array that holds exactly one encoding.
   *
   * @param bytes the encoding
   * @return the command
   * @throws MalformedCommandException if the bytes are not exactly one valid encoding
   */
  public static Command decode(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    Command c = decode(buf);
    if (buf.hasRemaining()) {
      throw new MalformedCommandException(
          buf.remaining() + " trailing bytes after a " + c.getClass().getSimpleName());
    }
    return c;
  }

  /**
   * Decodes one command at the buffer's position (little-endian).
   *
   * @param buf the source; its position advances past the command
   * @return the command
   * @throws MalformedCommandException if the bytes are not a valid encoding
   */
  public static Command decode(ByteBuffer buf) {
    try {
      byte type = buf.get();
      return switch (type) {
        case PLACE_ORDER -> getOrder(buf);
        case CANCEL_ORDER -> new CancelOrder(buf.getInt(), getBoolean(buf), buf.getLong());
        case CANCEL_REPLACE ->
            new CancelReplace(buf.getInt(), getBoolean(buf), buf.getLong(), getOrder(buf));
        case CANCEL_ALL -> new CancelAll(buf.getInt(), buf.getInt());
        case ORACLE_PRICE -> new OraclePrice(buf.getInt(), buf.getLong(), buf.getLong());
        case TICK -> new Tick(buf.getLong());
        case ADD_MARKET -> new AddMarket(buf.getInt(), buf.getLong(), buf.getLong(), buf.getLong());
        case DEPOSIT_COLLATERAL -> new DepositCollateral(buf.getInt(), buf.getLong());
        case WITHDRAW_COLLATERAL -> new WithdrawCollateral(buf.getInt(), buf.getLong());
        case FUNDING_TICK -> new FundingTick(buf.getInt(), buf.getLong(), buf.getLong());
        case TRANSFER_COLLATERAL ->
            new TransferCollateral(buf.getInt(), buf.getInt(), buf.getLong());
        default -> throw new MalformedCommandException("unknown command type byte " + type);
      };
    } catch (BufferUnderflowException e) {
      throw new MalformedCommandException("command truncated at byte " + buf.position());
    }
  }

  private static boolean getBoolean(ByteBuffer buf) {
    byte b = buf.get();
    if (b != 0 && b != 1) {
      throw new MalformedCommandException("boolean byte must be 0 or 1, got " + b);
    }
    return b == 1;
  }

  private static void putOrder(PlaceOrder p, ByteBuffer buf) {
    buf.putInt(p.account());
    buf.putInt(p.market());
    int flags =
        (p.side() == Side.SELL ? FLAG_SELL : 0)
            | (p.type() == OrderType.MARKET ? FLAG_MARKET : 0)
            | (p.reduceOnly() ? FLAG_REDUCE_ONLY : 0);
    buf.put((byte) flags);
    buf.put((byte) p.timeInForce().ordinal());
    buf.put((byte) p.trigger().ordinal());
    buf.putInt(p.clientOrderId());
    buf.putLong(p.size());
    buf.putLong(p.price());
    buf.putLong(p.feeCap());
    buf.putLong(p.expiry());
    buf.putLong(p.nonce());
    buf.putLong(p.triggerPrice());
    buf.put(p.signatureUnsafe());
  }

  private static PlaceOrder getOrder(ByteBuffer buf) {
    int account = buf.getInt();
    int market = buf.getInt();
    int flags = buf.get();
    if ((flags & ~(FLAG_SELL | FLAG_MARKET | FLAG_REDUCE_ONLY)) != 0) {
      throw new MalformedCommandException("unknown order flag bits " + flags);
    }
    int tif = buf.get();
    if (tif < 0 || tif >= TIFS.length) {
      throw new MalformedCommandException("time in force byte " + tif + " out of range");
    }
    int trigger = buf.get();
    if (trigger < 0 || trigger >= TRIGGERS.length) {
      throw new MalformedCommandException("trigger byte " + trigger + " out of range");
    }
    int clientOrderId = buf.getInt();
    long size = buf.getLong();
    long price = buf.getLong();
    long feeCap = buf.getLong();
    long expiry = buf.getLong();
    long nonce = buf.getLong();
    long triggerPrice = buf.getLong();
    byte[] sig = new byte[PlaceOrder.SIGNATURE_BYTES];
    buf.get(sig);
    return new PlaceOrder(
        account,
        market,
        (flags & FLAG_SELL) != 0 ? Side.SELL : Side.BUY,
        clientOrderId,
        (flags & FLAG_MARKET) != 0 ? OrderType.MARKET : OrderType.LIMIT,
        TIFS[tif],
        (flags & FLAG_REDUCE_ONLY) != 0,
        size,
        price,
        feeCap,
        expiry,
        nonce,
        TRIGGERS[trigger],
        triggerPrice,
        sig);
  }
}
