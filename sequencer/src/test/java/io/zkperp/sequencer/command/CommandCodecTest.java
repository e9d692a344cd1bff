package io.zkperp.sequencer.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.sequencer.RandomCommands;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
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
  void signedCancelsRoundTripWithTheirAuthorisation() {
    byte[] sig = new byte[PlaceOrder.SIGNATURE_BYTES];
    for (int i = 0; i < sig.length; i++) {
      sig[i] = (byte) (i * 7 + 1);
    }
    CancelOrder cancel = new CancelOrder(3, true, 99, 1_900_000_123L, sig);
    CancelAll all = new CancelAll(4, CancelAll.ALL_MARKETS, 1_900_000_456L, sig);
    byte[] c = CommandCodec.encode(cancel);
    byte[] a = CommandCodec.encode(all);
    assertThat(c).hasSize(14 + 8 + 64);
    assertThat(c[0]).isEqualTo(CommandCodec.SIGNED_CANCEL_ORDER);
    assertThat(a).hasSize(9 + 8 + 64);
    assertThat(a[0]).isEqualTo(CommandCodec.SIGNED_CANCEL_ALL);
    CancelOrder back = (CancelOrder) CommandCodec.decode(c);
    assertThat(back).isEqualTo(cancel);
    assertThat(back.signed()).isTrue();
    assertThat(back.validUntil()).isEqualTo(1_900_000_123L);
    assertThat(back.signature()).isEqualTo(sig);
    assertThat(CommandCodec.decode(a)).isEqualTo(all);
    // unsigned ones keep their old layout and type bytes (journals written before still replay)
    assertThat(CommandCodec.encode(new CancelAll(4, 2))).hasSize(9);
    assertThat(CommandCodec.decode(CommandCodec.encode(new CancelOrder(1, false, 2))))
        .isEqualTo(new CancelOrder(1, false, 2))
        .matches(x -> !((CancelOrder) x).signed());
    // a signed cancel cut short is malformed, not an unsigned one
    assertThatThrownBy(() -> CommandCodec.decode(java.util.Arrays.copyOf(c, c.length - 1)))
        .isInstanceOf(MalformedCommandException.class);
    assertThatThrownBy(() -> new CancelOrder(1, false, 2, 5, new byte[63]))
        .isInstanceOf(IllegalArgumentException.class);
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
    Command u = new TopUpInsuranceFund(Long.MAX_VALUE);
    byte[] bytes = CommandCodec.encode(u);
    assertThat(bytes).hasSize(9);
    assertThat(bytes[0]).isEqualTo(CommandCodec.TOP_UP_INSURANCE_FUND).isEqualTo((byte) 13);
    assertThat(CommandCodec.decode(bytes)).isEqualTo(u);
  }

  static SignedOraclePrices reports(int n) {
    List<PriceReport> reports = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] sig = new byte[64];
      sig[0] = (byte) i;
      sig[63] = (byte) 0xFF;
      reports.add(new PriceReport(65_535, (1_000L << 32) + i, 1_700_000_000L + i, 60_000 + i, sig));
    }
    return new SignedOraclePrices(65_535, reports);
  }

  @Test
  void signedOraclePricesRoundTripAndAreBounded() {
    // 1 type + 4 market + 1 count + n · (2 signer + 8 price + 8 timestamp + 64 signature)
    SignedOraclePrices one = reports(1);
    assertThat(CommandCodec.encode(one)).hasSize(6 + 82);
    assertThat(CommandCodec.decode(CommandCodec.encode(one))).isEqualTo(one);
    SignedOraclePrices full = reports(CommandCodec.MAX_PRICE_REPORTS);
    byte[] bytes = CommandCodec.encode(full);
    assertThat(bytes).hasSize(6 + 32 * 82).hasSize(CommandCodec.MAX_BYTES);
    assertThat(CommandCodec.decode(bytes)).isEqualTo(full);
    assertThatThrownBy(() -> reports(CommandCodec.MAX_PRICE_REPORTS + 1))
        .isInstanceOf(IllegalArgumentException.class);

    // count 0 and count 33 are malformed, whatever follows
    for (int count : new int[] {0, 33, 255}) {
      byte[] header =
          ByteBuffer.allocate(6 + 33 * 82)
              .order(ByteOrder.LITTLE_ENDIAN)
              .put(CommandCodec.SIGNED_ORACLE_PRICES)
              .putInt(1)
              .put((byte) count)
              .array();
      assertThatThrownBy(() -> CommandCodec.decode(header))
          .isInstanceOf(MalformedCommandException.class)
          .hasMessageContaining("report count " + count + " is not 1 to 32");
    }
    // a count larger than the bytes that follow
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    assertThatThrownBy(() -> CommandCodec.decode(cut))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("32 reports need 2624 bytes, 2623 left");
    byte[] longer = java.util.Arrays.copyOf(CommandCodec.encode(one), 6 + 82 + 1);
    assertThatThrownBy(() -> CommandCodec.decode(longer))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("trailing");
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
