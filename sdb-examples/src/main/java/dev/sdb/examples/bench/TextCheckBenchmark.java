package dev.sdb.examples.bench;

import dev.sdb.examples.w1.W1Transfer;
import dev.sdb.schema.ColumnType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The check every string and JSON text a contract writes passes ({@link ColumnType#coerce}): no
 * NUL, no unpaired surrogate, and for JSON exactly one valid value. The texts are those of W1's
 * first 4,096 transfers, one kind per run: a transaction id (64 hex characters, STRING), the
 * sender's address (11 characters, STRING; senders repeat), the signatures (a JSON array of one
 * 128-character string) and the args (a JSON array of a number and an address); and, as text
 * that is not ASCII, the transaction id after an {@code 'é'} ({@code latin1}) or after a CJK
 * character ({@code utf16}, a string the JDK keeps in UTF-16), and a name of ten CJK characters
 * ({@code cjk}), all STRING. Scores are nanoseconds per text.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class TextCheckBenchmark {
  private static final int TEXTS = 4096;

  @Param({"txid", "address", "signatures", "args", "latin1", "utf16", "cjk"})
  public String text;

  private final String[] texts = new String[TEXTS];
  private ColumnType type;
  private int next;

  @Setup
  public void texts() {
    Function<W1Transfer, String> pick = switch (text) {
      case "txid" -> W1Transfer::id;
      case "address" -> W1Transfer::senderId;
      case "signatures" -> W1Transfer::signatures;
      case "args" -> W1Transfer::args;
      case "latin1" -> t -> "é" + t.id();
      case "utf16" -> t -> "区" + t.id();
      case "cjk" -> t -> cjkName(t.id());
      default -> throw new IllegalArgumentException("text must be txid, address, signatures, "
          + "args, latin1, utf16 or cjk: " + text);
    };
    type = text.equals("signatures") || text.equals("args") ? ColumnType.JSON : ColumnType.STRING;
    List<W1Transfer> transfers = Fixture.w1Blocks().stream().flatMap(List::stream).toList();
    for (int i = 0; i < TEXTS; i++) {
      texts[i] = pick.apply(transfers.get(i));
    }
  }

  /** Ten CJK characters, one per hex digit of the id's first ten. */
  private static String cjkName(String id) {
    StringBuilder name = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      name.append((char) ('\u4E00' + Character.digit(id.charAt(i), 16)));
    }
    return name.toString();
  }

  @Benchmark
  public Object coerce() {
    return type.coerce(texts[next++ & (TEXTS - 1)], 10_000);
  }
}
