package io.zkperp.sequencer.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.sequencer.RandomCommands;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.Tick;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path dir;

  List<Command> write(Path file, int n) throws IOException {
    RandomCommands gen = new RandomCommands(7, 10);
    List<Command> written = new ArrayList<>();
    try (JournalWriter w = JournalWriter.open(file)) {
      for (int i = 0; i < n; i++) {
        Command c = gen.next();
        assertThat(w.append(c)).isEqualTo(i + 1);
        written.add(c);
        if (i % 7 == 6) {
          w.commit();
        }
      }
    }
    return written;
  }

  static List<Command> read(Path file, JournalReader.Result[] result) throws IOException {
    List<Command> out = new ArrayList<>();
    long[] expect = {1};
    result[0] =
        JournalReader.read(
            file,
            (seq, c) -> {
              assertThat(seq).isEqualTo(expect[0]++);
              out.add(c);
            });
    return out;
  }

  @Test
  void appendedRecordsReadBackInOrder() throws IOException {
    Path file = dir.resolve("j.log");
    List<Command> written = write(file, 100);
    JournalReader.Result[] r = new JournalReader.Result[1];
    assertThat(read(file, r)).isEqualTo(written);
    assertThat(r[0].lastSeq()).isEqualTo(100);
    assertThat(r[0].discardedTailBytes()).isZero();
  }

  @Test
  void reopeningContinuesTheSequence() throws IOException {
    Path file = dir.resolve("j.log");
    write(file, 10);
    try (JournalWriter w = JournalWriter.open(file)) {
      assertThat(w.lastSeq()).isEqualTo(10);
      assertThat(w.append(new Tick(1))).isEqualTo(11);
    }
    JournalReader.Result[] r = new JournalReader.Result[1];
    assertThat(read(file, r)).hasSize(11);
  }

  @Test
  void tornTailIsDiscardedAndCutOffOnReopen() throws IOException {
    Path file = dir.resolve("j.log");
    List<Command> written = write(file, 50);
    long size = Files.size(file);
    // a torn last write: the last record is cut in the middle
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size - 5);
    }
    JournalReader.Result[] r = new JournalReader.Result[1];
    assertThat(read(file, r)).isEqualTo(written.subList(0, 49));
    assertThat(r[0].discardedTailBytes()).isPositive();
    try (JournalWriter w = JournalWriter.open(file)) {
      assertThat(w.lastSeq()).isEqualTo(49);
      w.append(new Tick(9));
    }
    assertThat(read(file, r)).hasSize(50);
    assertThat(r[0].discardedTailBytes()).isZero();
  }

  @Test
  void garbageOrZerosAfterTheLastRecordAreATornTail() throws IOException {
    Path file = dir.resolve("j.log");
    write(file, 20);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(raf.length());
      raf.write(new byte[4096]);
      raf.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
    }
    JournalReader.Result[] r = new JournalReader.Result[1];
    assertThat(read(file, r)).hasSize(20);
    assertThat(r[0].discardedTailBytes()).isEqualTo(4096 + 19);
  }

  @Test
  void badChecksumAtTheTailIsDiscarded() throws IOException {
    Path file = dir.resolve("j.log");
    write(file, 20);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(raf.length() - 1);
      int b = raf.read();
      raf.seek(raf.length() - 1);
      raf.write(b ^ 0x40);
    }
    JournalReader.Result[] r = new JournalReader.Result[1];
    assertThat(read(file, r)).hasSize(19);
  }

  @Test
  void corruptionInTheMiddleIsATypedError() throws IOException {
    Path file = dir.resolve("j.log");
    write(file, 50);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(JournalFormat.FILE_HEADER_BYTES + 20);
      int b = raf.read();
      raf.seek(JournalFormat.FILE_HEADER_BYTES + 20);
      raf.write(b ^ 0x01);
    }
    assertThatThrownBy(() -> JournalReader.read(file, (s, c) -> {}))
        .isInstanceOfSatisfying(
            JournalCorruptedException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(JournalCorruptedException.Kind.BAD_RECORD_IN_MIDDLE);
              assertThat(e.offset()).isEqualTo(JournalFormat.FILE_HEADER_BYTES);
            });
    assertThatThrownBy(() -> JournalWriter.open(file))
        .isInstanceOf(JournalCorruptedException.class);
  }

  @Test
  void wrongHeaderIsATypedError() throws IOException {
    Path file = dir.resolve("j.log");
    Files.write(file, new byte[64]);
    assertThatThrownBy(() -> JournalReader.read(file, (s, c) -> {}))
        .isInstanceOfSatisfying(
            JournalCorruptedException.class,
            e -> assertThat(e.kind()).isEqualTo(JournalCorruptedException.Kind.BAD_HEADER));
  }
}
