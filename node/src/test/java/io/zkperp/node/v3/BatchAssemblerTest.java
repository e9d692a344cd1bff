package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.batcher.v3.witness.BatchWitnessEncoder;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.TransferMessage;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.UnsatisfiableWitnessException;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.SignedTransferCollateral;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.SequencerEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch assembly on a real engine and a real RocksDB store: the order scenario ({@link
 * OrderScenario}) settled and sealed into v3-tiny batches whose witnesses the real gnark solver
 * accepts over JNI ({@link BatchProver#openForCheck}, the fixture deployment's circuit); a changed
 * record byte is refused by the circuit; a tick proven under another batch time seals the open
 * batch, and T never decreases; a transfer and forced withdrawals (paid and unpaid) are batched in
 * v3-tiny's slots and accepted; a liquidation (the fund's takeover: no bid rests) is batched in
 * v3-tiny's takeover slot and accepted; in a shape without liquidation slots (v3-devnet) it is a
 * typed refusal naming the step and the shape, adding nothing.
 */
class BatchAssemblerTest {
  static final L1Address MAKER_OWNER =
      L1Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  static final L1Address TAKER_OWNER =
      L1Address.fromHex("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
  static BatchProver checker;

  @BeforeAll
  static void open() {
    checker = BatchProver.openForCheck(FixtureChain.SHAPE_NAME, FixtureChain.DOMAIN);
  }

  @AfterAll
  static void close() {
    if (checker != null) {
      checker.close();
    }
  }

  @Test
  void theOrderScenarioSealsIntoTwoBatchesTheCircuitAccepts(@TempDir Path dir) throws Exception {
    try (FixtureChain chain = new FixtureChain(dir, 1_000)) {
      List<SequencerEvent> fill = OrderScenario.run(chain, MAKER_OWNER, TAKER_OWNER);
      assertThat(fill).anyMatch(e -> e instanceof SequencerEvent.TradeSettled);
      assertThat(chain.sealed).hasSize(2);
      SealedBatchV3 first = chain.sealed.get(0);
      SealedBatchV3 second = chain.sealed.get(1);
      assertThat(first.origins())
          .extracting(SealedBatchV3.StepOrigin::kind)
          .containsExactly("Collateral");
      assertThat(second.origins())
          .extracting(SealedBatchV3.StepOrigin::kind)
          .containsExactly("Collateral", "Oracle", "Trade", "Funding", "Collateral");
      assertThat(chain.steps).isEqualTo(6);
      // the chain of batches: numbers, roots, the priority hash, T
      assertThat(first.batchNumber()).isEqualTo(1);
      assertThat(second.batchNumber()).isEqualTo(2);
      assertThat(first.header().stateRootBefore()).isEqualTo(chain.genesisRoot);
      assertThat(second.header().stateRootBefore()).isEqualTo(first.newRoot());
      assertThat(second.newRoot()).isEqualTo(chain.store.roots().stateRoot());
      assertThat(first.header().priorityBefore()).isEqualTo(Fr.ZERO);
      assertThat(second.header().priorityBefore()).isEqualTo(first.priorityAfter());
      assertThat(first.witness().priorityCount()).isEqualTo(1);
      assertThat(second.witness().priorityCount()).isEqualTo(1);
      assertThat(second.batchTime()).isEqualTo(chain.now);
      assertThat(first.batchTime()).isBetween(1L, second.batchTime());
      assertThat(second.records()).hasSize(FixtureChain.V3_TINY.steps() * 35);
      assertThat(second.records()[4 * 35]).as("the withdrawal's record type").isEqualTo((byte) 2);
      for (SealedBatchV3 b : chain.sealed) {
        checker.check(b.witness().witness());
      }
      // one record byte changed (the withdrawal's amount): the circuit refuses it
      byte[] changed = second.witness().witness();
      int records =
          new BatchWitnessEncoder().headerSize(FixtureChain.V3_TINY)
              + 2 * 32 * (FixtureChain.V3_TINY.steps() + 1);
      changed[records + 4 * 35 + 11] ^= 0x01;
      assertThatThrownBy(() -> checker.check(changed))
          .isInstanceOf(UnsatisfiableWitnessException.class);
    }
  }

  @Test
  void aTickProvenUnderAnotherBatchTimeSealsTheOpenBatchAndTNeverDecreases(@TempDir Path dir)
      throws Exception {
    try (FixtureChain chain = new FixtureChain(dir, 1_000)) {
      chain.apply(FixtureChain.deposit(0, 1, MAKER_OWNER, 50_000));
      chain.apply(chain.oracle(1, 10_000)); // proven under T = 1,000
      assertThat(chain.sealed).isEmpty();
      chain.apply(new Tick(1_010));
      chain.apply(new FundingTick(1, 0, 1_010)); // T = 1,010
      assertThat(chain.sealed).hasSize(1);
      SealedBatchV3 first = chain.sealed.get(0);
      assertThat(first.batchTime()).isEqualTo(1_000);
      assertThat(first.origins())
          .extracting(SealedBatchV3.StepOrigin::kind)
          .containsExactly("Collateral", "Oracle");
      assertThat(chain.assembler.openSteps()).isEqualTo(1);
      // a batch with ticks takes their T, whatever time it is sealed at
      SealedBatchV3 second = chain.assembler.seal(5_000);
      assertThat(second.batchTime()).isEqualTo(1_010);
      assertThat(second.header().stateRootBefore()).isEqualTo(first.newRoot());
      assertThat(second.newRoot()).isEqualTo(chain.store.roots().stateRoot());
      assertThat(chain.assembler.seal(5_000)).as("nothing open").isNull();
      checker.check(first.witness().witness());
      checker.check(second.witness().witness());
      // a batch without ticks: the given time, never below the last T
      chain.apply(FixtureChain.deposit(1, 2, TAKER_OWNER, 50_000));
      assertThat(chain.assembler.seal(900).batchTime()).isEqualTo(1_010);
      chain.apply(FixtureChain.withdrawal(1, MAKER_OWNER, 1_000, 0));
      SealedBatchV3 fourth = chain.assembler.seal(1_020);
      assertThat(fourth.batchTime()).isEqualTo(1_020);
      assertThat(fourth.batchNumber()).isEqualTo(4);
      checker.check(fourth.witness().witness());
    }
  }

  @Test
  void aTransferAndAForcedWithdrawalAreBatchedAndTheCircuitAcceptsThem(@TempDir Path dir)
      throws Exception {
    try (FixtureChain chain = new FixtureChain(dir, 1_000)) {
      chain.apply(FixtureChain.deposit(0, 1, MAKER_OWNER, 5_000));
      chain.apply(FixtureChain.deposit(1, 2, TAKER_OWNER, 5_000));
      assertThat(chain.sealed).hasSize(1); // one deposit slot
      byte[] sig = new TransferMessage(1, 2, 100, 0).sign(FixtureChain.key(1), FixtureChain.DOMAIN);
      chain.apply(new SignedTransferCollateral(1, 2, 100, 0, sig));
      chain.apply(FixtureChain.forcedWithdrawal(2, 1, MAKER_OWNER, 1_000));
      assertThat(chain.sealed).hasSize(1);
      assertThat(chain.assembler.openSteps()).isEqualTo(3);
      // more than the taker's free collateral: consumed, pays nothing; the forced slot is taken
      chain.apply(FixtureChain.forcedWithdrawal(3, 2, TAKER_OWNER, 1_000_000));
      assertThat(chain.sealed).hasSize(2);
      SealedBatchV3 second = chain.sealed.get(1);
      assertThat(second.origins())
          .extracting(SealedBatchV3.StepOrigin::kind)
          .containsExactly("Collateral", "Collateral", "Collateral");
      assertThat(second.liveSteps()).isEqualTo(3);
      assertThat(second.records()[35]).as("the transfer's record type").isEqualTo((byte) 3);
      assertThat(second.records()[2 * 35]).as("the forced withdrawal's type").isEqualTo((byte) 4);
      assertThat(second.witness().priorityCount()).isEqualTo(2); // the deposit and the request
      SealedBatchV3 third = chain.seal();
      assertThat(third.liveSteps()).isEqualTo(1);
      assertThat(third.header().priorityBefore()).isEqualTo(second.priorityAfter());
      assertThat(third.newRoot()).isEqualTo(chain.store.roots().stateRoot());
      assertThat(chain.engine.collateral(1)).isEqualTo(5_000 - 100 - 1_000);
      assertThat(chain.engine.collateral(2)).isEqualTo(5_000 + 100);
      for (SealedBatchV3 b : chain.sealed) {
        checker.check(b.witness().witness());
      }
    }
  }

  @Test
  void aLiquidationTakeoverIsBatchedInV3TinysSlotAndTheCircuitAcceptsIt(@TempDir Path dir)
      throws Exception {
    try (FixtureChain chain = new FixtureChain(dir, 1_000)) {
      chain.openALongTheNextPriceLiquidates(MAKER_OWNER, TAKER_OWNER);
      chain.apply(chain.liquidatingPrice());
      assertThat(chain.engine.position(2, 1)).as("the engine liquidated").isLessThan(100);
      chain.seal();
      List<Integer> types = new ArrayList<>();
      for (SealedBatchV3 b : chain.sealed) {
        for (int i = 0; i < b.origins().size(); i++) {
          if (b.origins().get(i).kind().equals("Liquidation")) {
            types.add(b.records()[i * FixtureChain.V3_TINY.recordSize()] & 0xff);
          }
        }
      }
      // no bid rests in the book: the engine's liquidation order fills nothing and the insurance
      // fund takes the step over (record type 7)
      assertThat(types).as("one takeover").containsExactly(7);
      SealedBatchV3 last = chain.sealed.get(chain.sealed.size() - 1);
      assertThat(last.newRoot()).isEqualTo(chain.store.roots().stateRoot());
      for (SealedBatchV3 b : chain.sealed) {
        checker.check(b.witness().witness());
      }
    }
  }

  @Test
  void aLiquidationHasNoV3DevnetSlotAndIsRefusedNamingTheStepAndTheShape(@TempDir Path dir)
      throws Exception {
    try (FixtureChain chain = new FixtureChain(dir, 1_000, "v3-devnet")) {
      chain.openALongTheNextPriceLiquidates(MAKER_OWNER, TAKER_OWNER);
      SignedOraclePrices price = chain.liquidatingPrice();
      int open = chain.assembler.openSteps();
      long next = chain.assembler.nextBatchNumber();
      long seq = chain.seq + 1;
      assertThatThrownBy(() -> chain.apply(price))
          .isInstanceOfSatisfying(
              UnbatchableStepException.class,
              e -> {
                assertThat(e.kind()).isEqualTo("Liquidation");
                assertThat(e.shape()).isEqualTo("v3-devnet");
                assertThat(e.seq()).isEqualTo(seq);
                assertThat(e.getMessage()).contains("v3-devnet");
              });
      assertThat(chain.engine.position(2, 1)).as("the engine liquidated").isLessThan(100);
      assertThat(chain.assembler.openSteps()).as("nothing of the command added").isEqualTo(open);
      assertThat(chain.assembler.nextBatchNumber()).isEqualTo(next);
      SealedBatchV3 b = chain.seal();
      assertThat(b.liveSteps()).isEqualTo(open);
    }
  }
}
