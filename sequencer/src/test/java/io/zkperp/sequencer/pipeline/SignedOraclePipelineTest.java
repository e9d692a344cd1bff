package io.zkperp.sequencer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.TestKeys;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.risk.LiquidationConfig;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.RiskEngine;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed oracle batches through the running pipeline: the intake threads verify every report's
 * signature before the core sees the batch; a batch with a bad signature is rejected {@link
 * RejectReason#ORACLE_BAD_SIGNATURE} and never journaled; recovery from the journal (which skips
 * signatures) gives the same state hash.
 */
class SignedOraclePipelineTest {
  static final int M = 1;
  @TempDir Path dir;

  static List<EdDsaPrivateKey> signers() {
    List<EdDsaPrivateKey> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] seed = new byte[32];
      Arrays.fill(seed, (byte) (0x50 + i));
      keys.add(EdDsaPrivateKey.fromSeed(seed));
    }
    return keys;
  }

  static RiskEngine engine(List<EdDsaPrivateKey> signers) {
    OracleConfig oracle =
        OracleConfig.of(
            M,
            new OracleConfig.MarketOracle(
                signers.stream().map(EdDsaPrivateKey::publicKey).toList(), 2, 30, 5, 50_000));
    return new RiskEngine(
        new RiskConfig(
            Map.of(
                M,
                new io.zkperp.protocol.state.MarketRisk(
                    50_000, 30_000, 100, 50, 10_000, 1_000, 10_000)),
            List.of(new io.zkperp.sequencer.risk.FeeTier(0, 0)),
            Map.of()),
        LiquidationConfig.DEFAULT,
        oracle,
        null);
  }

  @Test
  void badSignatureIsRejectedAtIntakeAndNeverJournaled() throws Exception {
    List<EdDsaPrivateKey> signers = signers();
    PriceReport r0 =
        PriceReportSigning.sign(MessageDomain.DEMO, signers.get(0), 0, M, 1_000L << 32, 995);
    PriceReport r1 =
        PriceReportSigning.sign(MessageDomain.DEMO, signers.get(1), 1, M, 1_000L << 32, 996);
    // signer 2's report with its price changed after signing
    PriceReport signed2 =
        PriceReportSigning.sign(MessageDomain.DEMO, signers.get(2), 2, M, 1_010L << 32, 997);
    PriceReport forged = new PriceReport(M, 1_040L << 32, 997, 2, signed2.signature());
    List<Command> commands =
        List.of(
            new AddMarket(M, 1, 1, 1),
            new Tick(1_000),
            new SignedOraclePrices(M, List.of(r0, r1)),
            new SignedOraclePrices(
                M,
                List.of(
                    PriceReportSigning.sign(
                        MessageDomain.DEMO, signers.get(0), 0, M, 1_040L << 32, 998),
                    PriceReportSigning.sign(
                        MessageDomain.DEMO, signers.get(1), 1, M, 1_040L << 32, 999),
                    forged)),
            new SignedOraclePrices(
                M,
                List.of(
                    PriceReportSigning.sign(
                        MessageDomain.DEMO, signers.get(0), 0, M, 1_010L << 32, 998),
                    signed2)));

    List<RejectReason> reasons = Collections.synchronizedList(new ArrayList<>());
    List<String> messages = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(commands.size());
    JournalWriter journal = JournalWriter.open(dir.resolve(Recovery.JOURNAL_FILE));
    SequencerOutput out =
        new SequencerOutput() {
          @Override
          public void onAccepted(
              long requestId,
              long journalSeq,
              List<io.zkperp.sequencer.core.SequencerEvent> events) {
            reasons.add(null);
            messages.add(null);
            done.countDown();
          }

          @Override
          public void onRejected(long requestId, RejectReason reason, String message) {
            reasons.add(reason);
            messages.add(message);
            done.countDown();
          }
        };
    RiskEngine engine = engine(signers);
    SequencerCore core =
        new SequencerCore(
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            engine,
            CoreListener.NONE);
    Sequencer sequencer =
        Sequencer.builder(core, journal, new TestKeys(1).directory(), MessageDomain.DEMO, out)
            .ringSize(64)
            .start();
    for (int i = 0; i < commands.size(); i++) {
      sequencer.submit(i, CommandCodec.encode(commands.get(i)));
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    sequencer.close();
    journal.close();

    assertThat(reasons).containsExactly(null, null, null, RejectReason.ORACLE_BAD_SIGNATURE, null);
    assertThat(messages.get(3))
        .isEqualTo(
            "BAD_SIGNATURE: report 2: the signature does not verify for signer 2 over (market 1,"
                + " price "
                + (1_040L << 32)
                + ", timestamp 997)");
    // the last batch: lower median of 1,010 and 1,010, oldest timestamp 997
    assertThat(engine.oracleFixed(M)).isEqualTo(1_010L << 32);
    assertThat(engine.oracleTimestamp(M)).isEqualTo(997);

    List<Command> journaled = new ArrayList<>();
    JournalReader.read(dir.resolve(Recovery.JOURNAL_FILE), (seq, c) -> journaled.add(c));
    assertThat(journaled)
        .containsExactly(commands.get(0), commands.get(1), commands.get(2), commands.get(4));
    var recovered =
        Recovery.recover(
            dir,
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            engine(signers),
            CoreListener.NONE);
    assertThat(CoreState.hashHex(recovered.core())).isEqualTo(CoreState.hashHex(core));
  }
}
