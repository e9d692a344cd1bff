package io.zkperp.gateway.node;

import io.zkperp.gateway.Gateway;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo node: sequencer + gateway on a data directory. On start it replays the directory's journal
 * into a fresh core (permissive risk hook, no snapshots) and feeds every replayed command and its
 * events to the read model, so the core, the read model and the journal agree after a restart; on
 * an empty journal it lists the demo markets. Demo accounts 0 to {@link #DEMO_ACCOUNTS}−1 have
 * public keys derived from the well-known seeds of {@link #demoKey}: for trying the API only —
 * anyone can sign for them. {@link #open} and {@link #close} from one controlling thread.
 */
public final class GatewayNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayNode.class);

  /** The number of demo accounts with registered keys. */
  public static final int DEMO_ACCOUNTS = 10;

  /** The markets listed on an empty journal: market, tick size, step size, minimum size. */
  public static final List<AddMarket> DEMO_MARKETS =
      List.of(new AddMarket(1, 10, 5, 10), new AddMarket(2, 1, 1, 1));

  private final Gateway gateway;
  private final JournalWriter journal;

  private GatewayNode(Gateway gateway, JournalWriter journal) {
    this.gateway = gateway;
    this.journal = journal;
  }

  /**
   * The demo key of an account: seed = 32 bytes of (account + 1), as the sequencer's tests.
   *
   * @param account the account, 0 to {@link #DEMO_ACCOUNTS}−1
   * @return its private key (public knowledge)
   */
  public static EdDsaPrivateKey demoKey(int account) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (account + 1));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  /**
   * Opens the data directory (created if absent), recovers, and starts serving.
   *
   * @param dataDir the data directory (holds {@code journal.log})
   * @param config the gateway settings
   * @param clockSeconds unix time in seconds
   * @return the running node
   * @throws IOException if the journal cannot be read or written
   * @throws InterruptedException if interrupted while starting
   */
  public static GatewayNode open(Path dataDir, GatewayConfig config, LongSupplier clockSeconds)
      throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(Recovery.JOURNAL_FILE);
    JournalWriter journal = JournalWriter.open(file); // cuts a torn tail
    EventCollector events = new EventCollector();
    SequencerCore core = SequencerCore.withDefaults(events);
    ReadModel readModel = new ReadModel();
    JournalReader.Result replayed =
        JournalReader.read(
            file,
            (seq, command) -> {
              if (!core.apply(command)) {
                throw new IllegalStateException(
                    "journal record "
                        + seq
                        + " is rejected on replay: "
                        + core.lastRejectReason()
                        + " "
                        + core.lastRejectMessage());
              }
              readModel.apply(command, seq, events.drain());
            });
    if (replayed.lastSeq() != journal.lastSeq()) {
      journal.close();
      throw new IOException(
          "replayed up to " + replayed.lastSeq() + " but the journal ends at " + journal.lastSeq());
    }
    LOG.info("replayed {} journal records from {}", replayed.records(), file);
    PublicKeyDirectory.InMemory keys = PublicKeyDirectory.inMemory();
    for (int i = 0; i < DEMO_ACCOUNTS; i++) {
      keys.register(i, demoKey(i).publicKey());
    }
    Gateway gateway;
    try {
      gateway =
          Gateway.start(config, core, journal, null, 0, keys, 2, 8192, clockSeconds, readModel);
    } catch (InterruptedException | RuntimeException e) {
      journal.close();
      throw e;
    }
    GatewayNode node = new GatewayNode(gateway, journal);
    if (replayed.records() == 0) {
      for (Command c : DEMO_MARKETS) {
        CommandOutcome o;
        try {
          o = gateway.bridge().submit(c).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          node.close();
          throw new IOException("listing the demo markets failed", e);
        }
        if (!(o instanceof CommandOutcome.Accepted)) {
          node.close();
          throw new IOException("demo market refused: " + o);
        }
      }
    }
    return node;
  }

  /**
   * The running gateway. Any thread.
   *
   * @return the gateway
   */
  public Gateway gateway() {
    return gateway;
  }

  /**
   * Graceful shutdown of the gateway and the sequencer, then closes the journal. Controlling
   * thread.
   *
   * @throws IOException if closing the journal fails
   */
  @Override
  public void close() throws IOException {
    gateway.close();
    journal.close();
  }
}
