package io.zkperp.l1;

import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One anvil process per test class (chain id 31337, the launcher named by {@link
 * AnvilProcess#LAUNCHER_PROPERTY}, 60 s to start): started before the class's first test, stopped
 * after its last. Register it on a static field with {@code @RegisterExtension}.
 *
 * <p>Threads: the callbacks on JUnit's thread; {@link #rpcUrl} from any thread while the class
 * runs.
 */
public final class AnvilExtension implements BeforeAllCallback, AfterAllCallback {
  private volatile AnvilProcess anvil;

  /** Creates the extension; nothing starts before the class does. */
  public AnvilExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    anvil = AnvilProcess.start(AnvilProcess.launcherFromSystemProperty(), 31_337, 60);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    AnvilProcess a = anvil;
    anvil = null;
    if (a != null) {
      a.close();
    }
  }

  /**
   * The running anvil's JSON-RPC address.
   *
   * @return e.g. {@code http://127.0.0.1:8545}
   * @throws IllegalStateException outside the class's tests
   */
  public String rpcUrl() {
    AnvilProcess a = anvil;
    if (a == null) {
      throw new IllegalStateException("anvil runs only while the test class runs");
    }
    return a.rpcUrl();
  }
}
