package io.zkperp.bench.sequencer;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import io.zkperp.sequencer.pipeline.Sequencer;
import io.zkperp.sequencer.pipeline.SequencerOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * End-to-end throughput of the whole pipeline on the same workload as {@link SequencerBenchmark}:
 * every order signed, decoded and EdDSA-verified on the intake threads, applied by the core, and
 * journaled with group commit (fsync) before its result is reported. The final book and state hash
 * must equal the generator's expectation, as in the core benchmark.
 */
@CommandLine.Command(
    name = "sequencer-pipeline-bench",
    mixinStandardHelpOptions = true,
    description = "Sequencer pipeline throughput: intake (EdDSA) + core + journal (fsync).")
public final class PipelineBenchmark implements Callable<Integer> {
  @Option(
      names = "--commands",
      description = "commands after the prefix (default ${DEFAULT-VALUE})")
  int commands = 20_000;

  @Option(names = "--accounts", description = "accounts (default ${DEFAULT-VALUE})")
  int accounts = 1_000;

  @Option(
      names = "--intake-threads",
      description = "decode+verify threads (default ${DEFAULT-VALUE})")
  int intakeThreads = 2;

  @Option(names = "--dir", description = "journal directory (default: a new temporary directory)")
  Path dir;

  @Option(names = "--seed", description = "workload seed (default ${DEFAULT-VALUE})")
  long seed = 2026_11_21L;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PipelineBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ExchangeWorkload w = new ExchangeWorkload(seed, commands, accounts, 1_000);
    EdDsaPrivateKey[] keys = new EdDsaPrivateKey[accounts];
    PublicKeyDirectory.InMemory directory = PublicKeyDirectory.inMemory();
    for (int a = 0; a < accounts; a++) {
      byte[] seedBytes = new byte[32];
      seedBytes[0] = (byte) a;
      seedBytes[1] = (byte) (a >>> 8);
      seedBytes[31] = 7;
      keys[a] = EdDsaPrivateKey.fromSeed(seedBytes);
      directory.register(a, keys[a].publicKey());
    }
    long t0 = System.nanoTime();
    byte[][] encoded =
        IntStream.range(0, w.commands.length)
            .parallel()
            .mapToObj(i -> CommandCodec.encode(sign(keys, w.commands[i])))
            .toArray(byte[][]::new);
    System.out.printf(
        "signed and encoded %,d commands in %.1f s%n",
        encoded.length, (System.nanoTime() - t0) / 1e9);

    Path journalDir =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("seqbench");
    Path journalFile = journalDir.resolve("journal.log");
    Files.deleteIfExists(journalFile);
    SequencerCore core =
        new SequencerCore(
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            RiskHook.PERMISSIVE,
            CoreListener.NONE);
    CountDownLatch done = new CountDownLatch(encoded.length);
    AtomicLong rejected = new AtomicLong();
    SequencerOutput output =
        new SequencerOutput() {
          @Override
          public void onAccepted(long requestId, long journalSeq, List<SequencerEvent> events) {
            done.countDown();
          }

          @Override
          public void onRejected(long requestId, RejectReason reason, String message) {
            rejected.incrementAndGet();
            done.countDown();
          }
        };
    long commits;
    long elapsed;
    try (JournalWriter journal = JournalWriter.open(journalFile)) {
      Sequencer sequencer =
          Sequencer.builder(core, journal, directory, MessageDomain.DEMO, output)
              .intakeThreads(intakeThreads)
              .ringSize(4096)
              .start();
      long start = System.nanoTime();
      for (int i = 0; i < encoded.length; i++) {
        sequencer.submit(i, encoded[i]);
      }
      done.await();
      elapsed = System.nanoTime() - start;
      sequencer.close();
      commits = journal.commits();
    }
    SequencerBenchmark.checkInvariants(w, core);
    System.out.printf(
        "pipeline: %,d commands (%d intake threads) in %.2f s = %,.0f commands/s; %,d rejected;"
            + " %,d group commits (fsync), %.1f commands per fsync; journal %,d bytes;"
            + " invariants OK (final book and state hash equal the generator's)%n",
        encoded.length,
        intakeThreads,
        elapsed / 1e9,
        encoded.length * 1e9 / elapsed,
        rejected.get(),
        commits,
        encoded.length / (double) Math.max(1, commits),
        Files.size(journalFile));
    return rejected.get() == 0 ? 0 : 1;
  }

  private static Command sign(EdDsaPrivateKey[] keys, Command c) {
    return switch (c) {
      case PlaceOrder p -> OrderSigning.sign(keys[p.account()], MessageDomain.DEMO, p);
      case CancelReplace r ->
          new CancelReplace(
              r.account(),
              r.byClientOrderId(),
              r.id(),
              OrderSigning.sign(keys[r.account()], MessageDomain.DEMO, r.replacement()));
      default -> c;
    };
  }
}
