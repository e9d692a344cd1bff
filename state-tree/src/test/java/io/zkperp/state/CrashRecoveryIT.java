package io.zkperp.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.Fill;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kills a committing child JVM with SIGKILL at random moments (at least 20 times; the child reopens
 * the same database each time and continues) and checks after every kill that the store is at
 * exactly one committed version: its root is the reference root of that version, the version is at
 * least the last one the child acknowledged (and at most one more: a commit that landed before its
 * acknowledgement was printed), and proofs of the leaves that version touched verify.
 */
class CrashRecoveryIT {
  static final int KILLS = 24;
  static final String END = "<eof>";

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void storeIsAlwaysAtExactlyOneCommittedVersionAfterSigkill() throws Exception {
    long seed = new Random().nextLong();
    Random rnd = new Random(seed);
    System.out.println("CrashRecoveryIT seed " + seed);
    Path base = TestData.tempDir("zkperp-crash-");
    Path dir = base.resolve("db");
    // the children's java.io.tmpdir: RocksDB extracts its native library there on every start
    // and a SIGKILLed JVM cannot delete it, so keep those copies inside the test's directory
    Path childTmp = java.nio.file.Files.createDirectories(base.resolve("tmp"));
    ReferenceModel ref = new ReferenceModel();
    checkReferenceAgainstNaive(seed);
    long durable = 0; // version the store was verified at after the last kill
    int durableUnacked = 0;
    int killsDuringWrite = 0;
    try {
      for (int kill = 0; kill < KILLS; kill++) {
        Process child = startChild(dir, childTmp, seed);
        BlockingQueue<String> lines = pump(child);
        long lastAck = durable;
        long[] writing = {-1};
        int killAfterAcks = rnd.nextInt(-1, 4); // -1: kill while opening / recovering
        boolean targetWrite = killAfterAcks >= 0 && rnd.nextInt(3) == 0;
        long delayMs = targetWrite ? rnd.nextInt(0, 4) : rnd.nextInt(0, 120);
        if (killAfterAcks < 0) {
          Thread.sleep(rnd.nextInt(50, 700));
        } else {
          int acks = 0;
          while (true) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            assertThat(line).as("child output before the kill").isNotNull().isNotEqualTo(END);
            lastAck = handle(line, lastAck, durable, ref, seed, writing);
            if (line.startsWith("committed")) {
              acks++;
            }
            boolean writingNow = line.startsWith("writing");
            if (acks > killAfterAcks && (!targetWrite || writingNow)) {
              break;
            }
          }
          Thread.sleep(delayMs);
        }
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("exit status of a SIGKILLed JVM (128 + 9)").isEqualTo(137);
        for (String line = lines.poll(10, TimeUnit.SECONDS);
            line != null && !line.equals(END);
            line = lines.poll(10, TimeUnit.SECONDS)) {
          lastAck = handle(line, lastAck, durable, ref, seed, writing);
        }

        try (RollupStateStore store = RollupStateStore.open(dir, options())) {
          long v = store.version();
          assertThat(v)
              .as("recovered version vs last acknowledged")
              .isBetween(lastAck, lastAck + 1);
          if (v == lastAck + 1) {
            durableUnacked++;
          }
          if (writing[0] == lastAck + 1) {
            killsDuringWrite++; // killed between "writing v" and "committed v"
          }
          advance(ref, seed, v);
          assertThat(ref.version).isEqualTo(v);
          assertThat(store.root())
              .as("root of recovered version %d", v)
              .isEqualTo(ref.roots.get((int) v));
          checkProofs(store, ref, seed, v);
          durable = v;
        }
      }
      assertThat(durable).isGreaterThan(KILLS / 2);
      System.out.println(
          "CrashRecoveryIT: "
              + KILLS
              + " kills, reached version "
              + durable
              + ", "
              + killsDuringWrite
              + " kills between hashing and acknowledgement of a commit (RocksDB write), "
              + durableUnacked
              + " of them found the commit durable");
    } finally {
      TestData.delete(base);
    }
  }

  static StateStoreOptions options() {
    return StateStoreOptions.DEFAULT
        .withKeptVersions(4)
        .withBlockCacheBytes(16L << 20)
        .withWriteBufferBytes(16L << 20);
  }

  static Process startChild(Path dir, Path tmp, long seed) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx512m",
            "-Djava.io.tmpdir=" + tmp,
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            CrashChild.class.getName(),
            dir.toString(),
            Long.toString(seed));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }

  static BlockingQueue<String> pump(Process child) {
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  q.add(line);
                }
              } catch (IOException e) {
                // the pipe breaks when the child is killed
              }
              q.add(END);
            },
            "crash-child-stdout");
    t.setDaemon(true);
    t.start();
    return q;
  }

  /** Checks one line of child output; returns the new last acknowledged version. */
  static long handle(
      String line, long lastAck, long durable, ReferenceModel ref, long seed, long[] writing) {
    String[] parts = line.split(" ");
    if (parts.length != 3) {
      return lastAck; // a line cut by the kill
    }
    long v = Long.parseLong(parts[1]);
    Fr root = Fr.fromHex(parts[2]);
    if (parts[0].equals("ready")) {
      assertThat(v).as("child opened at the verified version").isEqualTo(durable);
      return lastAck;
    }
    if (parts[0].equals("writing")) {
      // The commit may not become durable: check this root once the reference reaches v.
      assertThat(v).isEqualTo(lastAck + 1);
      if (ref.version >= v) {
        assertThat(root).as("pending root of version %d", v).isEqualTo(ref.roots.get((int) v));
      } else {
        PENDING_ROOTS.put(v, root);
      }
      writing[0] = v;
      return lastAck;
    }
    assertThat(parts[0]).isEqualTo("committed");
    assertThat(v).as("versions are consecutive").isEqualTo(lastAck + 1);
    advance(ref, seed, v);
    assertThat(root).as("acknowledged root of version %d", v).isEqualTo(ref.roots.get((int) v));
    return v;
  }

  /** Roots the child announced before writing, checked when the reference gets there. */
  static final java.util.Map<Long, Fr> PENDING_ROOTS = new java.util.HashMap<>();

  static void advance(ReferenceModel ref, long seed, long v) {
    while (ref.version < v) {
      ref.apply(CrashWorkload.batch(seed, ref.version + 1));
      Fr pending = PENDING_ROOTS.remove(ref.version);
      if (pending != null) {
        assertThat(pending)
            .as("pending root of version %d", ref.version)
            .isEqualTo(ref.roots.get((int) ref.version));
      }
    }
  }

  /** Proofs of a sample of the leaves version v touched verify and show the reference records. */
  static void checkProofs(RollupStateStore store, ReferenceModel ref, long seed, long v) {
    if (v == 0) {
      return;
    }
    Fr root = store.root();
    List<StatePropertiesTest.Op> ops = CrashWorkload.batch(seed, v);
    List<StatePropertiesTest.Op> sample = new ArrayList<>();
    for (int i = 0; i < ops.size(); i += 13) {
      sample.add(ops.get(i));
    }
    sample.add(ops.get(ops.size() - 1));
    try (StateView view = store.view()) {
      for (StatePropertiesTest.Op op : sample) {
        switch (op) {
          case StatePropertiesTest.SetAccount o -> {
            AccountProof p = view.accountProof(o.id());
            assertThat(p.verifies(root)).isTrue();
            assertThat(p.account()).isEqualTo(ref.records.accounts.get(o.id()));
          }
          case StatePropertiesTest.SetPosition o -> {
            PositionProof p = view.positionProof(o.account(), o.market());
            assertThat(p.verifies(root)).isTrue();
            assertThat(p.position()).isEqualTo(ref.records.position(o.account(), o.market()));
          }
          case StatePropertiesTest.SetFill o -> {
            int slot = Fill.slotOf(o.nonce());
            FillProof p = view.fillProof(o.account(), slot);
            assertThat(p.verifies(root)).isTrue();
            assertThat(p.fill()).isEqualTo(ref.records.fill(o.account(), slot));
          }
          case StatePropertiesTest.SetMarket o -> {
            MarketProof p = view.marketProof(o.id());
            assertThat(p.verifies(root)).isTrue();
            assertThat(p.market()).isEqualTo(ref.records.markets.get(o.id()));
          }
          case StatePropertiesTest.SetGlobal o -> {
            GlobalProof p = view.globalProof();
            assertThat(p.verifies(root)).isTrue();
            assertThat(p.global()).isEqualTo(ref.records.global);
          }
        }
      }
    }
  }

  /** The incremental reference agrees with the fully naive one on the first versions. */
  static void checkReferenceAgainstNaive(long seed) {
    ReferenceModel ref = new ReferenceModel();
    for (int v = 1; v <= 2; v++) {
      ref.apply(CrashWorkload.batch(seed, v));
      assertThat(ref.stateRoot()).isEqualTo(ref.records.stateRoot());
    }
  }
}
