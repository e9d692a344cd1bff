package io.zkperp.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.pipeline.Sequencer;
import io.zkperp.sequencer.pipeline.SequencerOutput;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller whose command gets no answer receives TIMEOUT after the timeout (and at most one sweep
 * later), and an answered command is not failed by the sweep. The missing answer is caused by
 * attaching a real sequencer whose output is not the bridge: a fault the running node cannot show.
 */
class SequencerBridgeTimeoutTest {
  @TempDir Path dir;

  @Test
  void anUnansweredCommandTimesOutOnTimeAndAnAnsweredOneDoesNot() throws Exception {
    long timeoutMillis = 150;
    SequencerBridge bridge = new SequencerBridge(new ReadModel(), 16, timeoutMillis);
    SequencerOutput nowhere =
        new SequencerOutput() {
          @Override
          public void onAccepted(long requestId, long journalSeq, List<SequencerEvent> events) {}

          @Override
          public void onRejected(long requestId, RejectReason reason, String message) {}
        };
    try (JournalWriter journal = JournalWriter.open(dir.resolve("journal.log"))) {
      Sequencer sequencer = TestSequencers.start(journal, nowhere);
      bridge.attach(sequencer);
      long start = System.nanoTime();
      CompletableFuture<CommandOutcome> unanswered = bridge.submit(new AddMarket(1, 10, 5, 10));
      Throwable failure =
          org.assertj.core.api.Assertions.catchThrowable(() -> unanswered.get(5, TimeUnit.SECONDS));
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(failure).hasCauseInstanceOf(RpcException.class);
      assertThat(((RpcException) failure.getCause()).error()).isEqualTo(RpcError.TIMEOUT);
      assertThat(waitedMillis).isBetween(timeoutMillis, timeoutMillis + 1_000);
      assertThat(bridge.inFlight()).as("the budget returns only with the answer").isEqualTo(1);

      // answered in time (here by hand, as the journal stage would): never failed by the sweep
      CompletableFuture<CommandOutcome> answered = bridge.submit(new AddMarket(2, 10, 5, 10));
      bridge.onAccepted(2, 1, List.of());
      assertThat(answered.get(1, TimeUnit.SECONDS)).isInstanceOf(CommandOutcome.Accepted.class);
      Thread.sleep(timeoutMillis + 3 * SequencerBridge.SWEEP_MILLIS);
      assertThat(answered.join()).isInstanceOf(CommandOutcome.Accepted.class);
      sequencer.close();
    } finally {
      bridge.close();
    }
  }
}
