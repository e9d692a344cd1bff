package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.field.Fr;
import io.zkperp.prover.BatchProver;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.Tick;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The funding period start a market with a derived funding rate emits at its first tick after an
 * oracle price ({@link LiquidationRun}: real engine with a derived rate, real RocksDB tree) is
 * batched in v3-tiny's period-start slot, and the real gnark solver accepts the batch over JNI
 * ({@link BatchProver#openForCheck} for the run's domain). Before v3-tiny had that slot, a node on
 * v3-tiny paused its settlement there.
 */
class PeriodStartBatchTest {
  @Test
  void theFirstTickAfterAPriceStartsTheFundingPeriodInV3TinysPeriodStartSlot(@TempDir Path dir)
      throws Exception {
    try (LiquidationRun run = new LiquidationRun(dir);
        BatchProver checker = BatchProver.openForCheck("v3-tiny", Deployment.DOMAIN)) {
      BatchAssembler assembler =
          new BatchAssembler(
              "v3-tiny",
              V3Shapes.shape("v3-tiny"),
              Deployment.DOMAIN,
              1,
              Fr.ZERO,
              run.store.roots().stateRoot(),
              0);
      List<String> kinds = new ArrayList<>();
      List<SealedBatchV3> sealed = new ArrayList<>();
      List<Command> commands = new ArrayList<>(List.of(run.deposit(0, 100_000), run.price(10_000)));
      for (int i = 1; i <= 3; i++) {
        commands.add(new Tick(run.now + 10L * i));
      }
      for (Command c : commands) {
        LiquidationRun.Applied a = run.apply(c);
        assertThat(a.translation()).as("%s", c).isInstanceOf(V3Translation.Steps.class);
        V3Translation.Steps s = (V3Translation.Steps) a.translation();
        s.steps().forEach(st -> kinds.add(st.getClass().getSimpleName()));
        sealed.addAll(assembler.add(run.settler.settleForBatch(s)));
      }
      assertThat(kinds).as("the engine started the period").containsOnlyOnce("PeriodStart");
      SealedBatchV3 last = assembler.seal(run.now);
      if (last != null) {
        sealed.add(last);
      }
      assertThat(sealed)
          .flatExtracting(SealedBatchV3::origins)
          .extracting(SealedBatchV3.StepOrigin::kind)
          .containsExactlyElementsOf(kinds);
      assertThat(sealed.get(sealed.size() - 1).newRoot()).isEqualTo(run.store.roots().stateRoot());
      for (SealedBatchV3 b : sealed) {
        checker.check(b.witness().witness());
      }
    }
  }
}
