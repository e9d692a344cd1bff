package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

/**
 * A read method's answer serialized once, as JSON text split around its top-level {@code
 * journalSeq} value: the one field that changes with every journal record while the view it
 * describes (a book version, an account version) stays the same. Each call splices its own
 * journalSeq in and hands the text to the response writer as a raw value, so readers polling an
 * unchanged view share one serialization instead of building and writing the object each time. The
 * text is Jackson's own serialization of the object the method built before, so the answer is byte
 * for byte what it was. Immutable; any thread.
 */
final class JournalSeqAnswer {
  private static final String FIELD = "\"journalSeq\":";

  private final String head;
  private final String tail;

  private JournalSeqAnswer(String head, String tail) {
    this.head = head;
    this.tail = tail;
  }

  /**
   * Serializes an answer object.
   *
   * @param answer the object, whose fields before {@code journalSeq} are numbers (so the first
   *     {@code "journalSeq":} in its text is that field)
   * @return the split text
   * @throws IllegalArgumentException if the object has no numeric top-level {@code journalSeq}
   */
  static JournalSeqAnswer of(ObjectNode answer) {
    JsonNode seq = answer.get("journalSeq");
    if (seq == null || !seq.isIntegralNumber()) {
      throw new IllegalArgumentException("the answer has no numeric journalSeq: " + answer);
    }
    String text = answer.toString();
    String value = FIELD + seq.asText();
    int at = text.indexOf(value);
    if (at < 0) {
      throw new IllegalStateException("journalSeq not found in " + text);
    }
    return new JournalSeqAnswer(
        text.substring(0, at + FIELD.length()), text.substring(at + value.length()));
  }

  /**
   * The answer with a journalSeq, as a raw JSON value for the response.
   *
   * @param journalSeq the call's journalSeq
   * @return a node the response writer copies as is
   */
  JsonNode with(long journalSeq) {
    return Json.NODES.rawValueNode(new RawValue(head + journalSeq + tail));
  }
}
