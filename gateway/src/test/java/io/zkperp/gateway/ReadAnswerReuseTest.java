package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.stream.AccountJson;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.Tick;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * perp_getOrderBook and perp_getAccount keep their serialized answer per book / account version and
 * splice the call's journalSeq in: every answer must still equal what the read model holds at that
 * moment, through level changes, fills, an oracle price that moves the margin figures without a
 * fill, and commands elsewhere that only advance the journal.
 */
class ReadAnswerReuseTest {
  @TempDir Path dir;

  @Test
  void keptAnswersFollowTheReadModel() throws Exception {
    try (GatewayHarness h =
        new GatewayHarness(
            dir,
            GatewayConfig.defaults(0),
            AccountStreamTest.engine(),
            AccountStreamTest.setup(2_000_000))) {
      ReadModel rm = h.gateway.readModel();
      check(h, rm); // empty book, deposited accounts

      place(h, 0, Side.BUY, 3, 990, 1);
      place(h, 0, Side.BUY, 2, 980, 2);
      JsonNode before = check(h, rm);
      JsonNode again = check(h, rm); // unchanged: the kept answer
      assertThat(again.get("book").get("sequence")).isEqualTo(before.get("book").get("sequence"));
      assertThat(again.get("book").get("bids")).hasSize(2);
      assertThat(again.get("shallow").get("bids")).hasSize(1); // depth 1 kept apart

      place(h, 2, Side.BUY, 5, 900, 1); // market 2's book changes, accounts 0 and 1 do not
      JsonNode later = check(h, rm);
      assertThat(later.get("account").get("sequence"))
          .isEqualTo(before.get("account").get("sequence"));
      assertThat(later.get("account").get("journalSeq").asLong())
          .isGreaterThan(before.get("account").get("journalSeq").asLong());

      place(h, 1, Side.SELL, 3, 990, 1); // fills account 0's best bid
      JsonNode filled = check(h, rm);
      assertThat(filled.get("account").get("positions")).hasSize(1);
      assertThat(filled.get("book").get("bids").get(0).get("price").asLong()).isEqualTo(980);

      // in a batch, the kept answers are written inside the array as they are alone
      String batch =
          "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getOrderBook\",\"params\":{\"market\":2}},"
              + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"perp_getAccount\",\"params\":"
              + h.account(0)
              + "}]";
      JsonNode both = GatewayHarness.MAPPER.readTree(h.post(batch).body());
      assertThat(both).hasSize(2);
      assertThat(both.get(0).get("result").get("bids")).isEqualTo(filled.get("book").get("bids"));
      assertThat(both.get(1).get("result").get("positions"))
          .isEqualTo(filled.get("account").get("positions"));

      JsonNode margin = filled.get("account").get("equity");
      h.submit(new Tick(1_060));
      h.submit(new OraclePrice(2, 1_050, 1_060)); // the position's value moves, no fill
      JsonNode moved = check(h, rm);
      assertThat(moved.get("account").get("equity")).isNotEqualTo(margin);
    }
  }

  private static void place(GatewayHarness h, int account, Side side, long size, long price, long n)
      throws Exception {
    ObjectNode order = h.order(account, 2, side, size, price, n).put("clientOrderId", n);
    JsonNode r = h.call("perp_placeOrder", h.resign(order));
    assertThat(r.has("result")).as("%s", r).isTrue();
  }

  /**
   * Reads market 2's book (depths 50 and 1) and account 0 over JSON-RPC and checks each equals the
   * read model's view, journalSeq aside, and that journalSeq is no older than the model's.
   */
  private static JsonNode check(GatewayHarness h, ReadModel rm) throws Exception {
    long applied = rm.journalSeq();
    ObjectNode out = GatewayHarness.MAPPER.createObjectNode();
    for (int depth : new int[] {50, 1}) {
      ObjectNode p = h.mapperObject("market", 2).put("depth", depth);
      JsonNode book = h.call("perp_getOrderBook", p).path("result");
      ReadModel.BookSnapshot b = rm.book(2, depth);
      assertThat(book.get("sequence").asLong()).isEqualTo(b.sequence());
      assertThat(book.get("journalSeq").asLong()).isGreaterThanOrEqualTo(applied);
      assertThat(book.get("bids")).hasSize(b.bids().size());
      for (int i = 0; i < b.bids().size(); i++) {
        assertThat(book.get("bids").get(i).get("price").asLong())
            .isEqualTo(b.bids().get(i).price());
        assertThat(book.get("bids").get(i).get("size").asLong()).isEqualTo(b.bids().get(i).size());
      }
      assertThat(book.get("asks")).hasSize(b.asks().size());
      out.set(depth == 1 ? "shallow" : "book", book);
    }
    JsonNode account = h.call("perp_getAccount", h.account(0)).path("result");
    ObjectNode expected =
        AccountJson.write(GatewayHarness.MAPPER.createObjectNode(), rm.account(0));
    assertThat(account.get("journalSeq").asLong()).isGreaterThanOrEqualTo(applied);
    expected.set("journalSeq", account.get("journalSeq"));
    assertThat(account).isEqualTo(GatewayHarness.MAPPER.readTree(expected.toString()));
    out.set("account", account);
    return out;
  }
}
