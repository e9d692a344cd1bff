package io.zkperp.gateway.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The kept answer's text splice: what the writer sends equals the object with that journalSeq. */
class JournalSeqAnswerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void splicesTheCallsJournalSeqWhereTheFieldWas() throws Exception {
    ObjectNode o = MAPPER.createObjectNode().put("market", 2).put("sequence", 12);
    o.put("journalSeq", 12); // the same digits as an earlier value, and a prefix of later ones
    o.putArray("bids").addObject().put("price", 120).put("size", 1).put("orders", 1);
    o.putObject("nested").put("journalSeq", 5);
    JournalSeqAnswer a = JournalSeqAnswer.of(o);
    for (long seq : new long[] {0, 12, 123, Long.MAX_VALUE}) {
      String written = MAPPER.writeValueAsString(a.with(seq));
      ObjectNode expected = o.deepCopy().put("journalSeq", seq);
      assertThat(written).isEqualTo(MAPPER.writeValueAsString(expected));
    }
  }

  @Test
  void refusesAnAnswerWithoutANumericJournalSeq() {
    assertThatThrownBy(() -> JournalSeqAnswer.of(MAPPER.createObjectNode().put("market", 2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JournalSeqAnswer.of(MAPPER.createObjectNode().put("journalSeq", "7")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
