package io.zkperp.sequencer.command;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.risk.ForcedTradeRequest;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact little-endian binary encoding of commands, used by the journal and the intake pipeline.
 * Every record starts with a one-byte type; the layouts are in {@code sequencer/README.md} (a
 * PlaceOrder is 128 bytes, a Cancel 14, a signed Cancel 86). Stateless; any thread.
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

  /** Type byte of {@link SignedOraclePrices}. */
  public static final byte SIGNED_ORACLE_PRICES = 12;

  /** Type byte of {@link TopUpInsuranceFund}. */
  public static final byte TOP_UP_INSURANCE_FUND = 13;

  /** Type byte of {@link CreditL1Deposit}. */
  public static final byte CREDIT_L1_DEPOSIT = 16;

  /** Type byte of {@link ServeL1ForcedWithdrawal}. */
  public static final byte SERVE_L1_FORCED_WITHDRAWAL = 17;

  /** Type byte of {@link SignedWithdrawCollateral}. */
  public static final byte SIGNED_WITHDRAW_COLLATERAL = 18;

  /** Type byte of {@link SignedTransferCollateral}. */
  public static final byte SIGNED_TRANSFER_COLLATERAL = 19;

  /** Type byte of {@link ServeL1ForcedTrade}. */
  public static final byte SERVE_L1_FORCED_TRADE = 20;

  /**
   * Type byte of a signed {@link CancelOrder}: the unsigned layout, then validUntil (i64) and the
   * 64-byte signature. An unsigned cancel keeps type {@link #CANCEL_ORDER}.
   */
  public static final byte SIGNED_CANCEL_ORDER = 14;

  /**
   * Type byte of a signed {@link CancelAll}: the unsigned layout, then validUntil (i64) and the
   * 64-byte signature. An unsigned one keeps type {@link #CANCEL_ALL}.
   */
  public static final byte SIGNED_CANCEL_ALL = 15;

  /**
   * The most reports one {@link SignedOraclePrices} may carry (the count is a byte; a batch needs
   * at most one report per signer of the market).
   */
  public static final int MAX_PRICE_REPORTS = 32;

  /** Encoded size of one price report: signer u16, price i64, timestamp i64, signature. */
  public static final int PRICE_REPORT_BYTES = 2 + 8 + 8 + 64;

  /** Encoded size of a PlaceOrder, type byte included. */
  public static final int PLACE_ORDER_BYTES = 1 + 4 + 4 + 1 + 1 + 1 + 4 + 6 * 8 + 64;

  /** An upper bound of the encoded size of any command but {@link SignedOraclePrices}. */
  private static final int MAX_FIXED_BYTES = 1 + 4 + 1 + 8 + PLACE_ORDER_BYTES;

  /** An upper bound of any encoded command's size (a full {@link SignedOraclePrices}). */
  public static final int MAX_BYTES =
      Math.max(MAX_FIXED_BYTES, 1 + 4 + 1 + MAX_PRICE_REPORTS * PRICE_REPORT_BYTES);

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
    int capacity =
        command instanceof SignedOraclePrices s
            ? 1 + 4 + 1 + s.reports().size() * PRICE_REPORT_BYTES
            : MAX_FIXED_BYTES;
    ByteBuffer buf = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
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
        buf.put(c.signed() ? SIGNED_CANCEL_ORDER : CANCEL_ORDER);
        buf.putInt(c.account());
        buf.put((byte) (c.byClientOrderId() ? 1 : 0));
        buf.putLong(c.id());
        if (c.signed()) {
          buf.putLong(c.validUntil());
          buf.put(c.signature());
        }
      }
      case CancelReplace r -> {
        buf.put(CANCEL_REPLACE);
        buf.putInt(r.account());
        buf.put((byte) (r.byClientOrderId() ? 1 : 0));
        buf.putLong(r.id());
        putOrder(r.replacement(), buf);
      }
      case CancelAll a -> {
        buf.put(a.signed() ? SIGNED_CANCEL_ALL : CANCEL_ALL);
        buf.putInt(a.account());
        buf.putInt(a.market());
        if (a.signed()) {
          buf.putLong(a.validUntil());
          buf.put(a.signature());
        }
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
      case TopUpInsuranceFund f -> {
        buf.put(TOP_UP_INSURANCE_FUND);
        buf.putLong(f.amount());
      }
      case TransferCollateral t -> {
        buf.put(TRANSFER_COLLATERAL);
        buf.putInt(t.from());
        buf.putInt(t.to());
        buf.putLong(t.amount());
      }
      case CreditL1Deposit d -> {
        buf.put(CREDIT_L1_DEPOSIT);
        buf.putLong(d.priorityIndex());
        buf.putInt(d.account());
        buf.put(d.owner().toBytes());
        buf.put(d.keyX().toBytes());
        buf.put(d.keyY().toBytes());
        buf.putLong(d.amount());
      }
      case ServeL1ForcedWithdrawal f -> {
        buf.put(SERVE_L1_FORCED_WITHDRAWAL);
        buf.putLong(f.priorityIndex());
        buf.putInt(f.account());
        buf.put(f.owner().toBytes());
        buf.putLong(f.amount());
      }
      case ServeL1ForcedTrade f -> {
        buf.put(SERVE_L1_FORCED_TRADE);
        buf.putLong(f.priorityIndex());
        ForcedTradeRequest r = f.request();
        buf.putInt(r.accountA());
        buf.putInt(r.accountB());
        buf.putInt(r.market());
        buf.put((byte) (r.aBuys() ? 1 : 0));
        buf.putLong(r.size());
        buf.putLong(r.amount());
        buf.putLong(r.nonce());
        buf.put((byte) (f.signatureValid() ? 1 : 0));
      }
      case SignedWithdrawCollateral w -> {
        buf.put(SIGNED_WITHDRAW_COLLATERAL);
        buf.putInt(w.account());
        buf.putLong(w.amount());
        buf.putLong(w.nonce());
        buf.put(w.signature());
      }
      case SignedTransferCollateral t -> {
        buf.put(SIGNED_TRANSFER_COLLATERAL);
        buf.putInt(t.from());
        buf.putInt(t.to());
        buf.putLong(t.amount());
        buf.putLong(t.nonce());
        buf.put(t.signature());
      }
      case SignedOraclePrices s -> {
        buf.put(SIGNED_ORACLE_PRICES);
        buf.putInt(s.market());
        buf.put((byte) s.reports().size());
        for (PriceReport r : s.reports()) {
          if (r.signer() < 0 || r.signer() > 0xFFFF) {
            throw new IllegalArgumentException("signer index " + r.signer() + " does not fit u16");
          }
          byte[] sig = r.signature();
          if (sig.length != PlaceOrder.SIGNATURE_BYTES) {
            throw new IllegalArgumentException(
                "report signature has " + sig.length + " bytes, not " + PlaceOrder.SIGNATURE_BYTES);
          }
          buf.putShort((short) r.signer());
          buf.putLong(r.price());
          buf.putLong(r.timestamp());
          buf.put(sig);
        }
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
        case SIGNED_CANCEL_ORDER ->
            new CancelOrder(
                buf.getInt(), getBoolean(buf), buf.getLong(), buf.getLong(), getSignature(buf));
        case SIGNED_CANCEL_ALL ->
            new CancelAll(buf.getInt(), buf.getInt(), buf.getLong(), getSignature(buf));
        case ORACLE_PRICE -> new OraclePrice(buf.getInt(), buf.getLong(), buf.getLong());
        case TICK -> new Tick(buf.getLong());
        case ADD_MARKET -> new AddMarket(buf.getInt(), buf.getLong(), buf.getLong(), buf.getLong());
        case DEPOSIT_COLLATERAL -> new DepositCollateral(buf.getInt(), buf.getLong());
        case WITHDRAW_COLLATERAL -> new WithdrawCollateral(buf.getInt(), buf.getLong());
        case FUNDING_TICK -> new FundingTick(buf.getInt(), buf.getLong(), buf.getLong());
        case TRANSFER_COLLATERAL ->
            new TransferCollateral(buf.getInt(), buf.getInt(), buf.getLong());
        case SIGNED_ORACLE_PRICES -> getSignedOraclePrices(buf);
        case TOP_UP_INSURANCE_FUND -> new TopUpInsuranceFund(buf.getLong());
        case CREDIT_L1_DEPOSIT ->
            new CreditL1Deposit(
                buf.getLong(),
                buf.getInt(),
                getAddress(buf),
                getFr(buf),
                getFr(buf),
                buf.getLong());
        case SIGNED_WITHDRAW_COLLATERAL ->
            new SignedWithdrawCollateral(
                buf.getInt(), buf.getLong(), buf.getLong(), getSignature(buf));
        case SIGNED_TRANSFER_COLLATERAL ->
            new SignedTransferCollateral(
                buf.getInt(), buf.getInt(), buf.getLong(), buf.getLong(), getSignature(buf));
        case SERVE_L1_FORCED_WITHDRAWAL ->
            new ServeL1ForcedWithdrawal(
                buf.getLong(), buf.getInt(), getAddress(buf), buf.getLong());
        case SERVE_L1_FORCED_TRADE -> getServeL1ForcedTrade(buf);
        default -> throw new MalformedCommandException("unknown command type byte " + type);
      };
    } catch (BufferUnderflowException e) {
      throw new MalformedCommandException("command truncated at byte " + buf.position());
    }
  }

  private static ServeL1ForcedTrade getServeL1ForcedTrade(ByteBuffer buf) {
    long index = buf.getLong();
    try {
      ForcedTradeRequest r =
          new ForcedTradeRequest(
              buf.getInt(),
              buf.getInt(),
              buf.getInt(),
              getBoolean(buf),
              buf.getLong(),
              buf.getLong(),
              buf.getLong());
      return new ServeL1ForcedTrade(index, r, getBoolean(buf));
    } catch (IllegalArgumentException e) {
      throw new MalformedCommandException(e.getMessage());
    }
  }

  private static byte[] getSignature(ByteBuffer buf) {
    byte[] b = new byte[PlaceOrder.SIGNATURE_BYTES];
    buf.get(b);
    return b;
  }

  private static L1Address getAddress(ByteBuffer buf) {
    byte[] b = new byte[L1Address.BYTES];
    buf.get(b);
    return L1Address.of(b);
  }

  private static Fr getFr(ByteBuffer buf) {
    byte[] b = new byte[Fr.BYTES];
    buf.get(b);
    try {
      return Fr.fromBytes(b);
    } catch (RuntimeException e) {
      throw new MalformedCommandException("a field element is not canonical: " + e.getMessage());
    }
  }

  private static SignedOraclePrices getSignedOraclePrices(ByteBuffer buf) {
    int market = buf.getInt();
    int count = Byte.toUnsignedInt(buf.get());
    if (count < 1 || count > MAX_PRICE_REPORTS) {
      throw new MalformedCommandException(
          "signed oracle prices: report count " + count + " is not 1 to " + MAX_PRICE_REPORTS);
    }
    if (buf.remaining() < count * PRICE_REPORT_BYTES) {
      throw new MalformedCommandException(
          "signed oracle prices: "
              + count
              + " reports need "
              + count * PRICE_REPORT_BYTES
              + " bytes, "
              + buf.remaining()
              + " left");
    }
    List<PriceReport> reports = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int signer = Short.toUnsignedInt(buf.getShort());
      long price = buf.getLong();
      long timestamp = buf.getLong();
      byte[] sig = new byte[PlaceOrder.SIGNATURE_BYTES];
      buf.get(sig);
      reports.add(new PriceReport(market, price, timestamp, signer, sig));
    }
    return new SignedOraclePrices(market, reports);
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
