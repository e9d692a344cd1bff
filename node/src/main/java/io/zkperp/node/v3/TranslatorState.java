package io.zkperp.node.v3;

import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.command.MalformedCommandException;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.SequencerEvent;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The part of {@link CommandTranslator}'s state that no other part of a node snapshot holds: the
 * signed orders of the engine's live orders ({@link LiveOrders}; the engine keeps no signatures)
 * and the core's time (the last {@code Tick}'s, the T of tick steps). Both are a function of the
 * journal's prefix alone (not of what the settlement has batched), so a replica that follows the
 * journal holds them at its snapshot's record exactly as the settlement's translator does after the
 * same record. The accounts' bound L1 owners, the translator's third piece of state, are not here:
 * {@code L2Accounts} (in the same snapshot) binds them from the same first deposit and is their one
 * source.
 *
 * <p>Encoding ({@link #encode}), canonical: {@code "ZKTS" | u32 version=1 | i64 time | u32 n | n ×
 * (i64 order id | u16 len | the order's PlaceOrder in the journal's encoding (CommandCodec)[len])},
 * orders by increasing id; the snapshot file around it is checksummed.
 *
 * <p>Confined to one thread at a time (the settlement's, the replay's or a snapshot replica's).
 */
public final class TranslatorState {
  private static final int MAGIC = 0x5A4B5453; // "ZKTS"
  private static final int VERSION = 1;

  private final LiveOrders live = new LiveOrders();
  private long time;

  /**
   * The state before the journal's first record, or at a point with no live order.
   *
   * @param time the core's time there
   */
  public TranslatorState(long time) {
    this.time = time;
  }

  /**
   * Follows one accepted command as the translator does (its time, the orders it places and
   * closes), without translating it.
   *
   * @param command the command, in journal order
   * @param events its events
   */
  public void follow(Command command, List<SequencerEvent> events) {
    tick(command);
    for (SequencerEvent e : events) {
      live.follow(command, e);
    }
  }

  /** Takes a {@code Tick}'s time; called first for each command. */
  void tick(Command command) {
    if (command instanceof Tick t) {
      time = t.time();
    }
  }

  /** The live orders, which the translator follows event by event between its lookups. */
  LiveOrders live() {
    return live;
  }

  /**
   * The core's time (the last {@code Tick}'s).
   *
   * @return seconds
   */
  public long time() {
    return time;
  }

  /**
   * How many signed orders are kept.
   *
   * @return the engine's live orders, conditional ones included
   */
  public int liveOrders() {
    return live.size();
  }

  /**
   * The canonical bytes (see the class comment).
   *
   * @return the encoding
   */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeLong(time);
      Map<Long, PlaceOrder> orders = live.placed();
      out.writeInt(orders.size());
      for (var e : orders.entrySet()) {
        byte[] order = CommandCodec.encode(e.getValue());
        out.writeLong(e.getKey());
        out.writeShort(order.length);
        out.write(order);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: cannot happen
    }
    return bytes.toByteArray();
  }

  /**
   * Reads {@link #encode}'s bytes.
   *
   * @param bytes the encoding
   * @return the state
   * @throws IOException the bytes are not one whole state of this version (cut short, padded, an
   *     entry that is not a PlaceOrder, order ids not increasing)
   */
  public static TranslatorState decode(byte[] bytes) throws IOException {
    if (bytes == null) {
      throw new IOException("no v3 translator state");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    try {
      if (b.getInt() != MAGIC) {
        throw new IOException("not a v3 translator state (magic)");
      }
      int version = b.getInt();
      if (version != VERSION) {
        throw new IOException("v3 translator state version " + version + ", expected " + VERSION);
      }
      TranslatorState s = new TranslatorState(b.getLong());
      int n = b.getInt();
      if (n < 0) {
        throw new IOException("v3 translator state: negative order count " + n);
      }
      long previous = 0;
      for (int i = 0; i < n; i++) {
        long id = b.getLong();
        int len = Short.toUnsignedInt(b.getShort());
        if (id <= previous) {
          throw new IOException("v3 translator state: order id " + id + " after " + previous);
        }
        byte[] order = new byte[len];
        b.get(order);
        Command c = CommandCodec.decode(order);
        if (!(c instanceof PlaceOrder p)) {
          throw new IOException("v3 translator state: order " + id + " is a " + c);
        }
        s.live.keep(id, p);
        previous = id;
      }
      if (b.hasRemaining()) {
        throw new IOException("v3 translator state: " + b.remaining() + " bytes too many");
      }
      return s;
    } catch (java.nio.BufferUnderflowException | MalformedCommandException e) {
      throw new IOException("v3 translator state cut short or invalid: " + e, e);
    }
  }
}
