package io.zkperp.sequencer.pipeline;

import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.InvalidMessageFieldException;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.command.MalformedCommandException;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.risk.oracle.OracleAggregator;
import io.zkperp.sequencer.risk.oracle.OracleResult;

/**
 * What an intake thread checks of a command before it is journaled: that its bytes decode, that an
 * oracle batch's signatures verify (the core and replays skip them), and that an order (or a
 * cancel-replace's replacement) is signed by its account's registered key over the deployment's
 * domain. Any intake thread: its parts are thread-safe and it keeps no state of its own.
 *
 * @param keys accounts' public keys
 * @param domain the deployment orders and oracle reports must be signed for
 * @param signatures thread-safe verifier
 * @param oracle the core's oracle aggregator, or null without signed oracle input
 */
record CommandCheck(
    PublicKeyDirectory keys,
    MessageDomain domain,
    SignatureVerifier signatures,
    OracleAggregator oracle) {

  /**
   * Decodes {@code slot}'s bytes into {@code slot.command}, or sets its reject reason and message:
   * malformed bytes, an oracle batch with a bad signature, an order whose account has no key or
   * whose signature does not verify. An intake thread, each on its own slots.
   *
   * @param slot the slot to check
   */
  void check(CommandSlot slot) {
    Command command;
    try {
      command = CommandCodec.decode(slot.bytes);
    } catch (MalformedCommandException e) {
      slot.reject = RejectReason.MALFORMED_COMMAND;
      slot.rejectMessage = e.getMessage();
      return;
    }
    if (command instanceof SignedOraclePrices s && oracle != null) {
      // every signature before journaling (the core and replays skip them); a batch the core
      // would reject anyway (unknown market or signer, more reports than signers) costs nothing
      OracleResult.Rejected bad =
          oracle.verifySignatures(s.market(), s.reports(), signatures, domain);
      if (bad != null) {
        slot.reject = RejectReason.ORACLE_BAD_SIGNATURE;
        slot.rejectMessage = bad.reason() + ": " + bad.message();
        return;
      }
    }
    PlaceOrder order =
        switch (command) {
          case PlaceOrder p -> p;
          case CancelReplace r -> r.replacement();
          default -> null;
        };
    if (order != null) {
      EdDsaPublicKey key = keys.publicKey(order.account());
      if (key == null) {
        slot.reject = RejectReason.UNKNOWN_ACCOUNT;
        slot.rejectMessage = "account " + order.account() + " has no registered public key";
        return;
      }
      boolean valid;
      try {
        valid = OrderSigning.verify(signatures, key, domain, order);
      } catch (InvalidMessageFieldException e) {
        slot.reject = RejectReason.FIELD_OUT_OF_RANGE;
        slot.rejectMessage = e.getMessage();
        return;
      }
      if (!valid) {
        slot.reject = RejectReason.BAD_SIGNATURE;
        slot.rejectMessage =
            "the signature does not verify for account "
                + order.account()
                + " over the order message (every field, "
                + domain
                + ") of "
                + order;
        return;
      }
    }
    slot.command = command;
  }
}
