package io.zkperp.node.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.node.SettlementInput;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.command.Tick;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TranslatorState} on the fixture engine's records: following a journal gives the live
 * orders and time the translator holds; its bytes round-trip and a translator restored from them
 * translates the next fill as the one that followed every record; damaged bytes are refused.
 */
class TranslatorStateTest {

  private static FixtureChain twoRestingSells(Path dir) throws Exception {
    FixtureChain chain = new FixtureChain(dir, 1_000);
    chain.apply(FixtureChain.deposit(0, 1, SettlementV3SnapshotTest.OWNERS[1], 1_000_000));
    chain.apply(FixtureChain.deposit(1, 2, SettlementV3SnapshotTest.OWNERS[2], 1_000_000));
    chain.apply(new Tick(chain.now + 5));
    chain.apply(chain.oracle(1, OrderScenario.PRICE));
    chain.apply(
        FixtureChain.order(
            1, 1, Side.SELL, TimeInForce.GTC, OrderScenario.SIZE, OrderScenario.PRICE, 1));
    chain.apply(
        FixtureChain.order(
            1, 1, Side.SELL, TimeInForce.GTC, OrderScenario.SIZE, OrderScenario.PRICE + 1, 2));
    return chain;
  }

  @Test
  void followingTheJournalKeepsWhatTheTranslatorKeepsAndRoundTrips(@TempDir Path dir)
      throws Exception {
    try (FixtureChain chain = twoRestingSells(dir)) {
      TranslatorState s = SettlementV3SnapshotTest.stateAt(chain, chain.seq);
      assertThat(s.liveOrders()).isEqualTo(chain.translator.liveOrders()).isEqualTo(2);
      assertThat(s.time()).isEqualTo(chain.now).isEqualTo(1_005);
      assertThat(s.encode()).isEqualTo(chain.translator.encodeState());
      assertThat(TranslatorState.decode(s.encode()).encode()).isEqualTo(s.encode());
      // a translator restored from the bytes translates the next fill as the original does
      CommandTranslator restored =
          new CommandTranslator(
              FeeSchedule.of(FixtureChain.risk()),
              TranslatorState.decode(s.encode()),
              SettlementV3SnapshotTest.ownersAt(chain, chain.seq));
      assertThat(restored.owners()).isEqualTo(chain.translator.owners());
      chain.apply(
          FixtureChain.order(
              2, 1, Side.BUY, TimeInForce.IOC, OrderScenario.SIZE, OrderScenario.PRICE, 1));
      SettlementInput fill = chain.inputs.get(chain.inputs.size() - 1);
      V3Translation t = restored.translate(fill);
      assertThat(t).isInstanceOf(V3Translation.Steps.class);
      assertThat(((V3Translation.Steps) t).steps()).hasSize(1);
      assertThat(restored.liveOrders()).as("the filled sell released").isEqualTo(1);
      assertThat(restored.encodeState()).isEqualTo(chain.translator.encodeState());
    }
  }

  @Test
  void damagedBytesAreRefused(@TempDir Path dir) throws Exception {
    try (FixtureChain chain = twoRestingSells(dir)) {
      byte[] good = SettlementV3SnapshotTest.stateAt(chain, chain.seq).encode();
      assertThatThrownBy(() -> TranslatorState.decode(null)).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> TranslatorState.decode(Arrays.copyOf(good, good.length - 1)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cut short");
      assertThatThrownBy(() -> TranslatorState.decode(Arrays.copyOf(good, good.length + 1)))
          .hasMessageContaining("bytes too many");
      byte[] version = good.clone();
      version[7] = 2;
      assertThatThrownBy(() -> TranslatorState.decode(version)).hasMessageContaining("version 2");
      byte[] magic = good.clone();
      magic[0] = 0;
      assertThatThrownBy(() -> TranslatorState.decode(magic)).hasMessageContaining("magic");
      // the second order's id written as the first's: not increasing
      ByteBuffer b = ByteBuffer.wrap(good.clone());
      long firstId = b.getLong(20);
      int len = Short.toUnsignedInt(b.getShort(28));
      b.putLong(30 + len, firstId);
      assertThatThrownBy(() -> TranslatorState.decode(b.array()))
          .hasMessageContaining("after " + firstId);
      // an entry that is not a PlaceOrder
      byte[] tick = CommandCodec.encode(new Tick(5));
      ByteBuffer other = ByteBuffer.allocate(30 + tick.length);
      other.put(good, 0, 16).putInt(1).putLong(1).putShort((short) tick.length).put(tick);
      assertThatThrownBy(() -> TranslatorState.decode(other.array()))
          .hasMessageContaining("is a Tick");
    }
  }
}
