package io.zkperp.sequencer.pipeline;

import static io.zkperp.sequencer.OrderBuilder.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TestKeys;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.journal.SnapshotStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequencerPipelineTest {
  @TempDir Path dir;

  record Result(long requestId, boolean accepted, long seq, RejectReason reason, String message) {}

  @Test
  void signedOrdersFlowThroughIntakeCoreAndJournal() throws Exception {
    TestKeys keys = new TestKeys(3);
    List<Command> commands = new ArrayList<>();
    commands.add(new AddMarket(1, 10, 5, 10));
    commands.add(new Tick(1000));
    commands.add(keys.sign(order(0, Side.SELL, 20, 1000).nonce(1).clientId(1).build()));
    commands.add(keys.sign(order(1, Side.BUY, 10, 1000).nonce(1).clientId(1).build()));
    PlaceOrder tampered = keys.sign(order(1, Side.BUY, 10, 1000).nonce(2).clientId(2).build());
    commands.add(
        order(1, Side.BUY, 10, 1010)
            .nonce(2)
            .clientId(2)
            .build()
            .withSignature(tampered.signature()));
    commands.add(keys.sign(order(2, Side.BUY, 10, 1005).nonce(1).clientId(1).build())); // tick
    commands.add(order(9, Side.BUY, 10, 1000).nonce(1).build()); // no key
    List<byte[]> encoded = new ArrayList<>();
    for (Command c : commands) {
      encoded.add(CommandCodec.encode(c));
    }
    encoded.add(new byte[] {42}); // malformed

    List<Result> results = Collections.synchronizedList(new ArrayList<>());
    List<List<SequencerEvent>> accepted = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(encoded.size());
    JournalWriter journal = JournalWriter.open(dir.resolve(Recovery.JOURNAL_FILE));
    SequencerOutput out =
        new SequencerOutput() {
          @Override
          public void onAccepted(long requestId, long journalSeq, List<SequencerEvent> events) {
            // acknowledged only once durable
            assertThat(journal.committedSeq()).isGreaterThanOrEqualTo(journalSeq);
            results.add(new Result(requestId, true, journalSeq, null, null));
            accepted.add(events);
            done.countDown();
          }

          @Override
          public void onRejected(long requestId, RejectReason reason, String message) {
            results.add(new Result(requestId, false, 0, reason, message));
            done.countDown();
          }
        };
    SequencerCore core = SequencerCore.withDefaults(CoreListener.NONE);
    Sequencer sequencer =
        Sequencer.builder(core, journal, keys.directory(), MessageDomain.DEMO, out)
            .snapshots(new SnapshotStore(dir.resolve(Recovery.SNAPSHOT_DIR)), 2)
            .ringSize(64)
            .start();
    for (int i = 0; i < encoded.size(); i++) {
      sequencer.submit(i, encoded.get(i));
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    sequencer.close();
    journal.close();

    assertThat(results)
        .extracting(Result::requestId)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(results)
        .extracting(Result::accepted)
        .containsExactly(true, true, true, true, false, false, false, false);
    assertThat(results).extracting(Result::seq).containsExactly(1L, 2L, 3L, 4L, 0L, 0L, 0L, 0L);
    assertThat(results.subList(4, 8))
        .extracting(Result::reason)
        .containsExactly(
            RejectReason.BAD_SIGNATURE,
            RejectReason.PRICE_NOT_TICK_MULTIPLE,
            RejectReason.UNKNOWN_ACCOUNT,
            RejectReason.MALFORMED_COMMAND);
    assertThat(accepted.get(3)).anyMatch(e -> e instanceof SequencerEvent.Fill f && f.size() == 10);

    List<Command> journaled = new ArrayList<>();
    JournalReader.read(dir.resolve(Recovery.JOURNAL_FILE), (seq, c) -> journaled.add(c));
    assertThat(journaled).containsExactlyElementsOf(commands.subList(0, 4));
    var recovered =
        Recovery.recover(
            dir,
            io.zkperp.sequencer.book.OrderBookFactory.OPTIMISED,
            io.zkperp.sequencer.SelfTradePrevention.EXPIRE_MAKER,
            io.zkperp.sequencer.core.RiskHook.PERMISSIVE,
            CoreListener.NONE);
    assertThat(recovered.snapshotSeq()).isEqualTo(4);
    assertThat(CoreState.hashHex(recovered.core())).isEqualTo(CoreState.hashHex(core));
  }
}
