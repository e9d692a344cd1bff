package io.zkperp.sequencer;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;

/** Deterministic test keys: account i's seed is 32 bytes of (i + 1). */
public final class TestKeys {
  private final EdDsaPrivateKey[] keys;
  private final PublicKeyDirectory.InMemory directory = PublicKeyDirectory.inMemory();

  public TestKeys(int accounts) {
    keys = new EdDsaPrivateKey[accounts];
    for (int i = 0; i < accounts; i++) {
      byte[] seed = new byte[32];
      java.util.Arrays.fill(seed, (byte) (i + 1));
      keys[i] = EdDsaPrivateKey.fromSeed(seed);
      directory.register(i, keys[i].publicKey());
    }
  }

  public PublicKeyDirectory directory() {
    return directory;
  }

  public PlaceOrder sign(PlaceOrder p) {
    return OrderSigning.sign(keys[p.account()], MessageDomain.DEMO, p);
  }

  /** Signs the order inside a PlaceOrder or CancelReplace; other commands pass through. */
  public Command sign(Command c) {
    return switch (c) {
      case PlaceOrder p -> sign(p);
      case CancelReplace r ->
          new CancelReplace(r.account(), r.byClientOrderId(), r.id(), sign(r.replacement()));
      default -> c;
    };
  }
}
