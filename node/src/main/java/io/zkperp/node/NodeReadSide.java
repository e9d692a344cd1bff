package io.zkperp.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What the settling node stores beside the engine in a snapshot (the snapshot's read side): the
 * gateway's read model and the node's {@link L2Accounts}, both as of the snapshot's journal record,
 * and on a node settling format v3 the v3 translator's state ({@code v3.TranslatorState}: the live
 * orders' signatures and the core's time) at the same record. Format: {@code "ZKNR" | u32 version |
 * u32 len | read model[len] | u32 len | accounts[len]}, version 1; version 2 (written only with a
 * translator state) adds {@code | u32 len | translator state[len]}. The snapshot file around it is
 * checksummed and written atomically, so the three parts and the engine are always of one record.
 * Immutable; any thread.
 *
 * @param readModel the read model's encoded state ({@code ReadModel.encodeSnapshot})
 * @param accounts the accounts' encoded state ({@link L2Accounts#encode})
 * @param translator the v3 translator's encoded state ({@code TranslatorState.encode}), or null on
 *     a node settling format v2
 */
public record NodeReadSide(byte[] readModel, byte[] accounts, byte[] translator) {
  private static final int MAGIC = 0x5A4B4E52; // "ZKNR"

  /** Checks for nulls. */
  public NodeReadSide {
    Objects.requireNonNull(readModel, "readModel");
    Objects.requireNonNull(accounts, "accounts");
  }

  /**
   * A format v2 node's read side (no translator state; encoded as version 1).
   *
   * @param readModel the read model's encoded state
   * @param accounts the accounts' encoded state
   */
  public NodeReadSide(byte[] readModel, byte[] accounts) {
    this(readModel, accounts, null);
  }

  /**
   * The bytes stored in the snapshot.
   *
   * @return the encoding
   */
  public byte[] encode() {
    int extra = translator == null ? 0 : 4 + translator.length;
    ByteBuffer b = ByteBuffer.allocate(16 + readModel.length + accounts.length + extra);
    b.putInt(MAGIC).putInt(translator == null ? 1 : 2);
    b.putInt(readModel.length).put(readModel);
    b.putInt(accounts.length).put(accounts);
    if (translator != null) {
      b.putInt(translator.length).put(translator);
    }
    return b.array();
  }

  /**
   * Reads {@link #encode}'s bytes.
   *
   * @param bytes the snapshot's read side
   * @return the parts
   * @throws IOException if the bytes are not a settling node's read side (for example the demo
   *     node's, which has no accounts)
   */
  public static NodeReadSide decode(byte[] bytes) throws IOException {
    if (bytes == null) {
      throw new IOException("the snapshot has no read side; the settling node needs its accounts");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (bytes.length < 16 || b.getInt() != MAGIC) {
      throw new IOException(
          "the snapshot's read side is not a settling node's (written by the demo node?)");
    }
    int version = b.getInt();
    if (version != 1 && version != 2) {
      throw new IOException("settling node read side version " + version + ", expected 1 or 2");
    }
    byte[] read = part(b, "read model");
    byte[] acc = part(b, "accounts");
    byte[] translator = version == 2 ? part(b, "v3 translator state") : null;
    if (b.hasRemaining()) {
      throw new IOException("settling node read side: " + b.remaining() + " bytes too many");
    }
    return new NodeReadSide(read, acc, translator);
  }

  private static byte[] part(ByteBuffer b, String what) throws IOException {
    if (b.remaining() < 4) {
      throw new IOException("settling node read side cut short before its " + what);
    }
    int len = b.getInt();
    if (len < 0 || len > b.remaining()) {
      throw new IOException(
          "settling node read side: " + what + " length " + len + " out of range");
    }
    byte[] out = new byte[len];
    b.get(out);
    return out;
  }
}
