package io.zkperp.sequencer.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.sequencer.RandomCommands;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CommandCodecTest {
  @Property(tries = 200)
  void everyCommandRoundTrips(@ForAll long seed) {
    RandomCommands gen = new RandomCommands(seed, 10);
    for (int i = 0; i < 50; i++) {
      Command c = gen.next();
      byte[] bytes = CommandCodec.encode(c);
      assertThat(bytes.length).isLessThanOrEqualTo(CommandCodec.MAX_BYTES);
      assertThat(CommandCodec.decode(bytes)).isEqualTo(c);
    }
  }

  @Test
  void placeOrderIsCompact() {
    RandomCommands gen = new RandomCommands(1, 10);
    gen.next();
    gen.next();
    Command c;
    do {
      c = gen.next();
    } while (!(c instanceof PlaceOrder));
    assertThat(CommandCodec.encode(c)).hasSize(CommandCodec.PLACE_ORDER_BYTES).hasSize(128);
    assertThat(CommandCodec.encode(new CancelOrder(1, false, 2))).hasSize(14);
  }

  @Test
  void collateralCommandsRoundTrip() {
    Command d = new DepositCollateral(7, 1_000_000_000_000L);
    Command w = new WithdrawCollateral(Integer.MAX_VALUE, Long.MAX_VALUE);
    assertThat(CommandCodec.encode(d)).hasSize(13);
    assertThat(CommandCodec.decode(CommandCodec.encode(d))).isEqualTo(d);
    assertThat(CommandCodec.decode(CommandCodec.encode(w))).isEqualTo(w);
    Command f = new FundingTick(65_535, -(1L << 40), 1_800_000_000L);
    assertThat(CommandCodec.encode(f)).hasSize(21);
    assertThat(CommandCodec.decode(CommandCodec.encode(f))).isEqualTo(f);
    Command t = new TransferCollateral(3, Integer.MAX_VALUE, Long.MAX_VALUE);
    assertThat(CommandCodec.encode(t)).hasSize(17);
    assertThat(CommandCodec.decode(CommandCodec.encode(t))).isEqualTo(t);
  }

  @Test
  void malformedBytesAreTyped() {
    // 9 became WithdrawCollateral with [risk]; 99 is unassigned
    assertThatThrownBy(() -> CommandCodec.decode(new byte[] {99}))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("unknown command type byte 99");
    byte[] ok = CommandCodec.encode(new Tick(5));
    byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 1);
    assertThatThrownBy(() -> CommandCodec.decode(cut))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("truncated");
    byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 1);
    assertThatThrownBy(() -> CommandCodec.decode(longer))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("trailing");
  }
}
