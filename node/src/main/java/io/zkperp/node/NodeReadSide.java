package io.zkperp.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What the settling node stores beside the engine in a snapshot (the snapshot's read side): the
 * gateway's read model and the node's {@link L2Accounts}, both as of the snapshot's journal record.
 * Format: {@code "ZKNR" | u32 version=1 | u32 len | read model[len] | u32 len | accounts[len]} (the
 * snapshot file around it is checksummed). Immutable; any thread.
 *
 * @param readModel the read model's encoded state ({@code ReadModel.encodeSnapshot})
 * @param accounts the accounts' encoded state ({@link L2Accounts#encode})
 */
public record NodeReadSide(byte[] readModel, byte[] accounts) {
  private static final int MAGIC = 0x5A4B4E52; // "ZKNR"

  /** Checks for nulls. */
  public NodeReadSide {
    Objects.requireNonNull(readModel, "readModel");
    Objects.requireNonNull(accounts, "accounts");
  }

  /**
   * The bytes stored in the snapshot.
   *
   * @return the encoding
   */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(16 + readModel.length + accounts.length);
    b.putInt(MAGIC).putInt(1);
    b.putInt(readModel.length).put(readModel);
    b.putInt(accounts.length).put(accounts);
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
    if (version != 1) {
      throw new IOException("settling node read side version " + version + ", expected 1");
    }
    byte[] read = part(b, "read model");
    byte[] acc = part(b, "accounts");
    if (b.hasRemaining()) {
      throw new IOException("settling node read side: " + b.remaining() + " bytes too many");
    }
    return new NodeReadSide(read, acc);
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
