package io.zkperp.batcher.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.batcher.v3.witness.StepElements;
import io.zkperp.batcher.v3.witness.TradeElementsException;
import io.zkperp.batcher.v3.witness.TradeElementsException.Reason;
import io.zkperp.batcher.v3.witness.TradeStepElements;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.vectors.TestVectors;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateStoreV2;
import io.zkperp.state.v2.StateViewV2;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TradeStepElements} against {@code test-vectors/trade-step-elements.json}, whose elements
 * the Go reference wrote with {@code batchv3.Seal} and {@code batchv3.Encode}: every trade of every
 * scenario executed by {@link TradeExecution} on a real RocksDB {@link StateStoreV2} from the
 * vector's initial state (all trades of a scenario in one batch) gives, for every shape (N, K) the
 * vector encodes it in, the same leaf names and elements name by name and the same bytes; every
 * shape Go refuses is refused with a typed reason. Also: the table's paths are the store's own
 * market proofs, and the refusals Go has no vector for (unsupported shape, malformed signature,
 * markets that do not hash to the opened root).
 */
class TradeStepElementsVectorsTest {
  private static final JsonNode V = TestVectors.load("trade-step-elements.json");

  @TempDir Path dir;

  private static MessageDomain domain() {
    JsonNode d = V.get("domain");
    return MessageDomain.of(
        Long.parseUnsignedLong(d.get("chainId").asText()),
        L1Address.fromHex(d.get("rollup").asText()));
  }

  private static Map<List<Integer>, List<String>> names() {
    Map<List<Integer>, List<String>> out = new HashMap<>();
    for (JsonNode s : V.get("shapes")) {
      List<String> names = new ArrayList<>();
      s.get("names").forEach(n -> names.add(n.asText()));
      out.put(List.of(s.get("n").asInt(), s.get("k").asInt()), names);
    }
    return out;
  }

  @Test
  void everyTradeGivesTheGoElementsNameByNameForEveryShape() throws Exception {
    TradeExecution exec = new TradeExecution(domain());
    Map<List<Integer>, List<String>> names = names();
    Set<List<Integer>> shapesSeen = new HashSet<>();
    int encodings = 0;
    int refusals = 0;
    for (JsonNode sc : V.get("scenarios")) {
      String scenario = sc.get("name").asText();
      try (StateStoreV2 s = StateStoreV2.open(dir.resolve(scenario), TradeVectors.options())) {
        TradeVectors.initialState(s, sc, scenario);
        StateBatchV2 b = s.beginBatch();
        for (JsonNode t : sc.get("trades")) {
          String note = scenario + ": " + t.get("note").asText();
          TradeWitness w = exec.execute(b, TradeVectors.trade(t));
          assertThat(w.rootsAfter().stateRoot()).as(note).isEqualTo(TradeVectors.fr(t.get("root")));
          for (JsonNode e : t.get("encodings")) {
            int n = e.get("n").asInt();
            int k = e.get("k").asInt();
            String shape = note + " (N = " + n + ", K = " + k + ")";
            List<String> expectedNames = names.get(List.of(n, k));
            assertThat(expectedNames).as(shape).isNotNull();
            assertThat(TradeStepElements.count(n, k)).as(shape).isEqualTo(expectedNames.size());
            StepElements got = TradeStepElements.of(w, domain(), n, k);
            assertThat(got.size()).as(shape + ": element count").isEqualTo(expectedNames.size());
            ByteArrayOutputStream expectedBytes = new ByteArrayOutputStream();
            for (int i = 0; i < expectedNames.size(); i++) {
              String name = expectedNames.get(i);
              assertThat(got.names().get(i)).as("%s: name of element %d", shape, i).isEqualTo(name);
              Fr want = TradeVectors.fr(e.get("elements").get(i));
              assertThat(got.values().get(i)).as("%s: %s", shape, name).isEqualTo(want);
              expectedBytes.writeBytes(want.toBytes());
            }
            assertThat(got.encode()).as(shape + ": bytes").isEqualTo(expectedBytes.toByteArray());
            shapesSeen.add(List.of(n, k));
            encodings++;
          }
          for (JsonNode r : t.get("shapeRefusals")) {
            int n = r.get(0).asInt();
            int k = r.get(1).asInt();
            assertThatThrownBy(() -> TradeStepElements.of(w, domain(), n, k))
                .as("%s: shape (%d, %d) refused", note, n, k)
                .isInstanceOfSatisfying(
                    TradeElementsException.class,
                    x ->
                        assertThat(x.reason())
                            .isIn(Reason.ENTRY_BEYOND_LIST, Reason.MARKET_BEYOND_TABLE));
            refusals++;
          }
        }
        b.commit();
      }
    }
    assertThat(shapesSeen).as("N ∈ {1, 2, 8} × K ∈ {1, 3}").hasSize(6);
    assertThat(encodings).isEqualTo(20);
    assertThat(refusals).isEqualTo(5);
  }

  /** The first trade of the vectors, executed in a batch on its committed initial state. */
  private record First(StateStoreV2 store, TradeWitness witness) implements AutoCloseable {
    @Override
    public void close() {
      store.close();
    }
  }

  private First first(String scenario) {
    JsonNode sc = null;
    for (JsonNode s : V.get("scenarios")) {
      if (s.get("name").asText().equals(scenario)) {
        sc = s;
      }
    }
    StateStoreV2 s = StateStoreV2.open(dir.resolve("first-" + scenario), TradeVectors.options());
    TradeVectors.initialState(s, sc, scenario);
    TradeTransaction tx = TradeVectors.trade(sc.get("trades").get(0));
    try {
      return new First(s, new TradeExecution(domain()).execute(s.beginBatch(), tx));
    } catch (TradeRefusedException e) {
      s.close();
      throw new AssertionError(e);
    }
  }

  @Test
  void tablePathsAreTheStoresMarketProofsBeforeTheTrade() throws Exception {
    try (First f = first("two-entries"); // ids 0 and 2 listed, 1 not
        StateViewV2 v = f.store().view()) {
      StepElements e = TradeStepElements.of(f.witness(), domain(), 2, 3);
      for (int id = 0; id < 3; id++) {
        List<Fr> proof = v.marketProof(id).path().siblings();
        for (int h = 0; h < proof.size(); h++) {
          String name = "Table." + id + ".Path." + h;
          assertThat(e.values().get(e.names().indexOf(name))).as(name).isEqualTo(proof.get(h));
        }
        String listed = "Table." + id + ".Listed";
        assertThat(e.values().get(e.names().indexOf(listed)))
            .as(listed)
            .isEqualTo(id == 1 ? Fr.ZERO : Fr.ONE);
      }
    }
  }

  @Test
  void unsupportedShapesAndBrokenWitnessesAreRefusedWithTheirReason() throws Exception {
    try (First f = first("one-market")) {
      TradeWitness w = f.witness();
      for (int[] nk : new int[][] {{0, 1}, {9, 1}, {1, 0}, {1, 65}}) {
        assertThatThrownBy(() -> TradeStepElements.of(w, domain(), nk[0], nk[1]))
            .isInstanceOfSatisfying(
                TradeElementsException.class,
                x -> assertThat(x.reason()).isEqualTo(Reason.SHAPE_UNSUPPORTED));
        assertThatThrownBy(() -> TradeStepElements.count(nk[0], nk[1]))
            .isInstanceOfSatisfying(
                TradeElementsException.class,
                x -> assertThat(x.reason()).isEqualTo(Reason.SHAPE_UNSUPPORTED));
      }
      // the buyer's signature bytes replaced by an encoding that is not a point
      TradeTransaction tx = w.trade();
      byte[] bad = new byte[64];
      Arrays.fill(bad, (byte) 0xff);
      TradeTransaction badSig =
          new TradeTransaction(
              tx.market(),
              tx.price(),
              tx.size(),
              new TradeOrder(tx.buyer().order(), bad, tx.buyer().feePpm()),
              tx.seller());
      TradeWitness withBadSig =
          new TradeWitness(
              badSig,
              w.buyer(),
              w.seller(),
              w.market(),
              w.global(),
              w.charges(),
              w.marketsBefore());
      assertThatThrownBy(() -> TradeStepElements.of(withBadSig, domain(), 1, 1))
          .isInstanceOfSatisfying(
              TradeElementsException.class,
              x -> assertThat(x.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE));
      // the market as it is after the trade (another open interest) in place of the one read
      Map<Integer, MarketV2> moved = new HashMap<>(w.marketsBefore());
      moved.put(tx.market(), w.market().after());
      TradeWitness withMoved =
          new TradeWitness(tx, w.buyer(), w.seller(), w.market(), w.global(), w.charges(), moved);
      assertThatThrownBy(() -> TradeStepElements.of(withMoved, domain(), 1, 1))
          .isInstanceOfSatisfying(
              TradeElementsException.class,
              x -> assertThat(x.reason()).isEqualTo(Reason.INCONSISTENT_MARKETS));
      // the honest witness still encodes
      assertThat(TradeStepElements.of(w, domain(), 1, 1).size()).isEqualTo(197);
    }
  }
}
