package io.zkperp.state;

import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.Position;
import io.zkperp.state.kv.Bytes;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Binary form of diff entries: kind (1) ‖ account (4) ‖ index (4) ‖ oldLength (2) ‖ old ‖ newLength
 * (2) ‖ new, record bytes as their {@code toBytes()}, length 0 for "none".
 */
final class DiffCodec {
  private DiffCodec() {}

  static byte[] encodeRecord(Object record) {
    return switch (record) {
      case null -> null;
      case Account a -> a.toBytes();
      case Position p -> p.isEmpty() ? null : p.toBytes();
      case Fill f -> f.toBytes();
      case Market m -> m.toBytes();
      case GlobalState g -> g.toBytes();
      default -> throw new IllegalArgumentException("not a record: " + record);
    };
  }

  static void write(ByteArrayOutputStream out, LeafChange c) {
    byte[] head = new byte[9];
    head[0] = (byte) c.kind().ordinal();
    Bytes.putInt(head, 1, c.account());
    Bytes.putInt(head, 5, (int) c.index());
    out.writeBytes(head);
    Object before;
    Object after;
    switch (c) {
      case LeafChange.AccountChange a -> {
        before = a.before();
        after = a.after();
      }
      case LeafChange.PositionChange p -> {
        before = p.before();
        after = p.after();
      }
      case LeafChange.FillChange f -> {
        before = f.before();
        after = f.after();
      }
      case LeafChange.MarketChange m -> {
        before = m.before();
        after = m.after();
      }
      case LeafChange.GlobalChange g -> {
        before = g.before();
        after = g.after();
      }
    }
    writeRecord(out, encodeRecord(before));
    writeRecord(out, encodeRecord(after));
  }

  private static void writeRecord(ByteArrayOutputStream out, byte[] b) {
    int n = b == null ? 0 : b.length;
    out.write(n >>> 8);
    out.write(n);
    if (b != null) {
      out.writeBytes(b);
    }
  }

  /** Decodes a chunk, appending to {@code out}; throws on malformed bytes. */
  static void read(byte[] chunk, List<LeafChange> out) {
    int p = 0;
    while (p < chunk.length) {
      if (chunk.length - p < 13) {
        throw new IllegalArgumentException("truncated diff entry at offset " + p);
      }
      int kindOrdinal = chunk[p] & 0xff;
      if (kindOrdinal >= LeafKind.values().length) {
        throw new IllegalArgumentException("unknown leaf kind " + kindOrdinal);
      }
      LeafKind kind = LeafKind.values()[kindOrdinal];
      int account = Bytes.getInt(chunk, p + 1);
      int index = Bytes.getInt(chunk, p + 5);
      p += 9;
      byte[][] recs = new byte[2][];
      for (int i = 0; i < 2; i++) {
        if (chunk.length - p < 2) {
          throw new IllegalArgumentException("truncated diff entry at offset " + p);
        }
        int n = ((chunk[p] & 0xff) << 8) | (chunk[p + 1] & 0xff);
        p += 2;
        if (chunk.length - p < n) {
          throw new IllegalArgumentException("truncated diff record at offset " + p);
        }
        recs[i] = n == 0 ? null : java.util.Arrays.copyOfRange(chunk, p, p + n);
        p += n;
      }
      out.add(decode(kind, account, index, recs[0], recs[1]));
    }
  }

  private static LeafChange decode(LeafKind kind, int account, int index, byte[] b, byte[] a) {
    if (a == null && kind != LeafKind.POSITION) {
      throw new IllegalArgumentException("a " + kind + " change has no new value");
    }
    return switch (kind) {
      case ACCOUNT ->
          new LeafChange.AccountChange(
              account, b == null ? null : Account.fromBytes(b), Account.fromBytes(a));
      case POSITION ->
          new LeafChange.PositionChange(
              account,
              index,
              b == null ? Position.NONE : Position.fromBytes(b),
              a == null ? Position.NONE : Position.fromBytes(a));
      case FILL ->
          new LeafChange.FillChange(
              account, index, b == null ? null : Fill.fromBytes(b), Fill.fromBytes(a));
      case MARKET ->
          new LeafChange.MarketChange(
              index, b == null ? null : Market.fromBytes(b), Market.fromBytes(a));
      case GLOBAL ->
          new LeafChange.GlobalChange(
              b == null ? GlobalState.GENESIS : GlobalState.fromBytes(b), GlobalState.fromBytes(a));
    };
  }
}
