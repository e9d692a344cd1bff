package io.zkperp.bench.sequencer;

import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The core benchmark's workload as a file, so that another engine (exchange-core, in the
 * profile-gated module {@code benchmarks/exchange-core}) and zkperp's core run exactly the same
 * command stream: the commands in the journal's encoding ({@link CommandCodec}) and what the
 * generator's model expects after them (book, state hash, fills, rejections). Format: magic {@code
 * ZKWL}, version 1, then {@link DataOutputStream} fields in the order {@link #write} writes them.
 * One thread.
 */
public final class WorkloadFile {
  private static final int MAGIC = 0x5A4B574C; // "ZKWL"
  private static final int VERSION = 1;

  /**
   * A workload read back.
   *
   * @param commands every command, the prefix first
   * @param prefix how many leading commands set the book up (not measured)
   * @param accounts the accounts the orders come from (0 … accounts − 1)
   */
  public record Loaded(Command[] commands, int prefix, int accounts) {}

  private WorkloadFile() {}

  static void write(ExchangeWorkload w, Path file) throws IOException {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(w.accounts);
      out.writeInt(w.prefix);
      out.writeInt(w.rejectedInModel);
      out.writeLong(w.expectedFills);
      out.writeUTF(w.expectedStateHash);
      out.writeInt(w.expectedBook.size());
      for (String line : w.expectedBook) {
        out.writeUTF(line);
      }
      out.writeInt(w.mix.size());
      for (Map.Entry<String, Integer> e : w.mix.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue());
      }
      out.writeInt(w.commands.length);
      for (Command c : w.commands) {
        byte[] b = CommandCodec.encode(c);
        out.writeShort(b.length);
        out.write(b);
      }
    }
  }

  static ExchangeWorkload readWorkload(Path file) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        throw new IOException(file + " is not a workload file of version " + VERSION);
      }
      int accounts = in.readInt();
      int prefix = in.readInt();
      int rejected = in.readInt();
      long fills = in.readLong();
      String hash = in.readUTF();
      List<String> book = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) {
        book.add(in.readUTF());
      }
      Map<String, Integer> mix = new LinkedHashMap<>();
      for (int i = in.readInt(); i > 0; i--) {
        mix.put(in.readUTF(), in.readInt());
      }
      Command[] commands = new Command[in.readInt()];
      for (int i = 0; i < commands.length; i++) {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        commands[i] = CommandCodec.decode(b);
      }
      return new ExchangeWorkload(commands, prefix, accounts, book, hash, fills, mix, rejected);
    }
  }

  /**
   * Reads a workload file written by {@code SequencerBenchmark --export-workload}.
   *
   * @param file the file
   * @return its commands, prefix and account count
   * @throws IOException if it cannot be read or is not a workload file
   */
  public static Loaded read(Path file) throws IOException {
    ExchangeWorkload w = readWorkload(file);
    return new Loaded(w.commands, w.prefix, w.accounts);
  }
}
