package io.zkperp.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.pipeline.Sequencer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers are completed on the caller's executor (the connection's event loop in the gateway), and
 * on the bridge's completion thread when that executor refuses the task (an event loop shutting
 * down) or none is given. Real sequencer and journal, with the bridge as the pipeline's output.
 */
class SequencerBridgeCompletionTest {
  @TempDir Path dir;

  @Test
  void answersAreCompletedOnTheCallersExecutorOrElseOnTheCompletionThread() throws Exception {
    SequencerBridge bridge = new SequencerBridge(new ReadModel(), 16, 5_000);
    ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "caller-loop"));
    ExecutorService stopped = Executors.newSingleThreadExecutor();
    stopped.shutdown();
    AtomicInteger ranOnLoop = new AtomicInteger();
    try (JournalWriter journal = JournalWriter.open(dir.resolve("journal.log"))) {
      Sequencer sequencer = TestSequencers.start(journal, bridge);
      bridge.attach(sequencer);

      CompletableFuture<CommandOutcome> onLoop =
          bridge.submit(
              new AddMarket(1, 10, 5, 10),
              task ->
                  loop.execute(
                      () -> {
                        ranOnLoop.incrementAndGet();
                        task.run();
                      }));
      assertThat(onLoop.get(5, TimeUnit.SECONDS)).isInstanceOf(CommandOutcome.Accepted.class);
      assertThat(ranOnLoop).hasValue(1);

      // a rejection is answered the same way
      assertThat(bridge.submit(new AddMarket(1, 10, 5, 10), loop::execute).get(5, TimeUnit.SECONDS))
          .isInstanceOf(CommandOutcome.Rejected.class);

      // the executor refuses: the completion thread answers instead, nothing is lost
      assertThat(bridge.submit(new AddMarket(2, 10, 5, 10), stopped).get(5, TimeUnit.SECONDS))
          .isInstanceOf(CommandOutcome.Accepted.class);
      assertThat(bridge.submit(new AddMarket(3, 10, 5, 10)).get(5, TimeUnit.SECONDS))
          .isInstanceOf(CommandOutcome.Accepted.class);
      assertThat(bridge.inFlight()).isZero();
      sequencer.close();
    } finally {
      bridge.close();
      loop.shutdownNow();
    }
  }
}
