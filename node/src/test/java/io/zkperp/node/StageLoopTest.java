package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class StageLoopTest {
  private static final Duration LONG = Duration.ofHours(1);
  private static final StageLoop.OnFailure NEVER = e -> 0;

  @Test
  void runsPassesOnANamedDaemonThreadUntilClosed() throws Exception {
    List<Thread> threads = new CopyOnWriteArrayList<>();
    CountDownLatch three = new CountDownLatch(3);
    StageLoop loop =
        new StageLoop(
            "zkperp-test-stage",
            Duration.ZERO,
            () -> {
              threads.add(Thread.currentThread());
              three.countDown();
              Thread.sleep(1);
            },
            NEVER);
    loop.start();
    assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
    loop.close();

    Thread t = threads.getFirst();
    assertThat(t.getName()).isEqualTo("zkperp-test-stage");
    assertThat(t.isDaemon()).isTrue();
    assertThat(t.isAlive()).isFalse();
    int passes = threads.size();
    Thread.sleep(50);
    assertThat(threads).hasSize(passes);
  }

  @Test
  void wakeEndsTheIdlePause() throws Exception {
    Semaphore passes = new Semaphore(0);
    StageLoop loop = new StageLoop("zkperp-test-wake", LONG, passes::release, NEVER);
    loop.start();
    try {
      assertThat(passes.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
      assertThat(passes.tryAcquire(100, TimeUnit.MILLISECONDS)).isFalse(); // idles
      loop.wake();
      assertThat(passes.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      loop.close();
    }
  }

  @Test
  void aWakeDuringAPassEndsTheNextPause() throws Exception {
    CountDownLatch inPass = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Semaphore passes = new Semaphore(0);
    StageLoop loop =
        new StageLoop(
            "zkperp-test-wake-in-pass",
            LONG,
            () -> {
              inPass.countDown();
              release.await();
              passes.release();
            },
            NEVER);
    loop.start();
    try {
      assertThat(inPass.await(10, TimeUnit.SECONDS)).isTrue();
      loop.wake();
      release.countDown();
      assertThat(passes.tryAcquire(2, 10, TimeUnit.SECONDS)).isTrue();
    } finally {
      loop.close();
    }
  }

  @Test
  void aFailedPassGoesToThePolicyAndTheLoopGoesOn() throws Exception {
    List<Exception> failures = new CopyOnWriteArrayList<>();
    AtomicInteger successes = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch recovered = new CountDownLatch(1);
    StageLoop loop =
        new StageLoop(
            "zkperp-test-failure",
            LONG,
            () -> {
              int n = calls.incrementAndGet();
              if (n == 1) {
                throw new IOException("store down");
              }
              if (n == 2) {
                throw new IllegalStateException("bad state");
              }
              recovered.countDown();
            },
            new StageLoop.OnFailure() {
              @Override
              public long failed(Exception e) {
                failures.add(e);
                return 1;
              }

              @Override
              public void succeeded() {
                successes.incrementAndGet();
              }
            });
    loop.start();
    try {
      assertThat(recovered.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      loop.close();
    }
    assertThat(failures)
        .extracting(Exception::getMessage)
        .containsExactly("store down", "bad state");
    assertThat(successes.get()).isEqualTo(1);
  }

  @Test
  void retryWithBackoffDoublesUpToTheCapAndResetsAfterASuccess() {
    StageLoop.OnFailure p =
        StageLoop.retryWithBackoff(
            LoggerFactory.getLogger(StageLoopTest.class), "test stage", Duration.ofMillis(1500));
    RuntimeException e = new RuntimeException("L1 unreachable");

    assertThat(p.failed(e)).isEqualTo(1500);
    assertThat(p.failed(e)).isEqualTo(3000);
    assertThat(p.failed(e)).isEqualTo(6000);
    assertThat(p.failed(e)).isEqualTo(StageLoop.MAX_BACKOFF_MILLIS);
    assertThat(p.failed(e)).isEqualTo(StageLoop.MAX_BACKOFF_MILLIS);
    p.succeeded();
    assertThat(p.failed(e)).isEqualTo(1500);
  }
}
