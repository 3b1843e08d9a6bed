package dev.sdb;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sdb.schema.Schema;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log in a directory of segment files.
 *
 * <p><b>Format.</b> A segment ({@code wal-<sequence>.log}) starts with an 8-byte magic; then
 * records of {@code [int length][int crc32c][payload of length bytes]}, where the CRC32C covers
 * the length and the payload, and the payload's first byte is its type: a committed block (header
 * JSON and the deltas in {@link BinaryDeltas}' compact form), the start of a rollback to a height,
 * its completion, or its abort.
 *
 * <p><b>Recovery.</b> Records are read in order; blocks at or below the store's height are
 * skipped, later ones queued for replay; a completed rollback drops the queued blocks above its
 * height; a rollback that started but neither completed nor aborted (a crash during rollback) is
 * finished at start-up, in the store too, and any record after it (a block, another rollback)
 * implies that it was. A record that is cut short or fails its checksum at the
 * very end of the last segment is a torn write: it is reported and cut off. Anything else that
 * does not read back is corruption and stops the start-up; it is never applied.
 *
 * <p><b>Segments.</b> Each start begins a new segment; a segment is closed once the store holds
 * every block in it (or when it passes 64 MiB), and closed segments are deleted oldest first.
 *
 * <p><b>Interrupts.</b> Segments are written and forced through {@link RandomAccessFile} and
 * {@link java.io.FileDescriptor#sync()}, which interrupts do not affect, not through a {@link
 * FileChannel}, which an interrupt of the thread using it closes for good. So an interrupt pending
 * on the writer (a contract timeout) or on the flusher neither fails nor breaks the log, and stays
 * pending for its owner.
 *
 * <p><b>Failures.</b> A record whose write or (every-block) fsync fails is cut off again before the
 * call throws, so the log is as if it had never been written and the caller may retry. If even
 * that fails, the log is closed for good: every later call fails, and a restart recovers.
 */
final class FileWal implements Wal {
  private static final Logger LOG = LoggerFactory.getLogger(FileWal.class);
  private static final byte[] MAGIC = "SDBWAL1\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte BLOCK = 1;
  private static final byte ROLLBACK_BEGIN = 2;
  private static final byte ROLLBACK_ABORTED = 3;
  private static final byte ROLLBACK_DONE = 4;
  private static final long SEGMENT_BYTES = 64L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Segment(Path path, long maxHeight) {}

  private final Path dir;
  private final FsyncPolicy policy;
  private final List<Segment> closed = new ArrayList<>();
  private final @Nullable ScheduledExecutorService syncer;
  private long sequence;
  private RandomAccessFile file;
  private Path currentPath;
  private long currentMaxHeight = -1;
  private long currentBytes;
  /** Records written but not known to be forced to the disk. Guarded by this. */
  private volatile boolean dirty;
  /** Held for the whole of a {@link #force()}, so that one fsync of records runs at a time. */
  private final Object syncing = new Object();
  /** Why the log takes no more records: it was closed, or a failed record stuck. Null if open. */
  private @Nullable StoreException unusable;
  /** The writer thread's buffer for block records (only {@link #append} uses it). */
  private final BinaryDeltas.Sink blockRecord = new BinaryDeltas.Sink();

  private FileWal(Path dir, FsyncPolicy policy, long lastSequence, List<Segment> old)
      throws IOException {
    this.dir = dir;
    this.policy = policy;
    this.sequence = lastSequence;
    this.closed.addAll(old);
    startSegment();
    if (!policy.isEveryBlock() && !policy.isNever()) {
      syncer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sdb-wal-fsync");
        t.setDaemon(true);
        return t;
      });
      long ms = policy.interval().toMillis();
      syncer.scheduleWithFixedDelay(this::backgroundSync, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      syncer = null;
    }
  }

  /** What opening a log directory found, and the log to append to from now on. */
  record Opened(FileWal wal, Recovery recovery) {}

  /** Reads the log for recovery against a store at {@code storeHeight} and opens it for appends. */
  static Opened open(Path dir, Schema schema, FsyncPolicy policy, long storeHeight) {
    try {
      Files.createDirectories(dir);
      List<Path> paths;
      try (Stream<Path> s = Files.list(dir)) {
        paths = s.filter(p -> p.getFileName().toString().matches("wal-\\d{10}\\.log")).sorted()
            .toList();
      }
      Replay replay = new Replay(storeHeight, schema);
      List<Segment> segments = new ArrayList<>();
      for (int i = 0; i < paths.size(); i++) {
        long max = readSegment(paths.get(i), i == paths.size() - 1, policy.isEveryBlock(), schema,
            replay);
        segments.add(new Segment(paths.get(i), max));
      }
      long lastSequence = paths.isEmpty() ? 0 : sequenceOf(paths.get(paths.size() - 1));
      Recovery recovery = replay.finish(dir);
      if (!recovery.blocks().isEmpty() || recovery.revertStoreTo() != Recovery.NO_REVERT) {
        LOG.info("write-ahead log {}: {} block(s) to replay above height {}{}", dir,
            recovery.blocks().size(), storeHeight, recovery.revertStoreTo() == Recovery.NO_REVERT
                ? "" : ", store to be rolled back to " + recovery.revertStoreTo());
      }
      return new Opened(new FileWal(dir, policy, lastSequence, segments), recovery);
    } catch (IOException e) {
      throw new StoreException("cannot open the write-ahead log in " + dir, e);
    }
  }

  /**
   * The replay state machine over the records of all segments, in order: it rebuilds the chain of
   * logged blocks (rollbacks cut it), then keeps the part above the store's height.
   */
  private static final class Replay {
    private final long storeHeight;
    private final Schema schema;
    private final List<LoggedBlock> chain = new ArrayList<>();
    private long expectedNext = -1; // -1: the first logged block may have any height
    private @Nullable Long openRollback;

    Replay(long storeHeight, Schema schema) {
      this.storeHeight = storeHeight;
      this.schema = schema;
    }

    void block(LoggedBlock set, Path where) {
      if (openRollback != null) {
        rollbackEnd(true); // blocks are committed only after a rollback has finished
      }
      if (expectedNext >= 0 && set.height() != expectedNext) {
        throw new StoreException("write-ahead log " + where + " is inconsistent: block "
            + set.height() + " follows height " + (expectedNext - 1) + "; refusing to start "
            + "rather than apply it");
      }
      chain.add(set);
      expectedNext = set.height() + 1;
    }

    void rollbackBegin(long height) {
      if (openRollback != null) {
        // A rollback left open (a crash, or its end record failed) was finished at the start
        // that followed, which logs nothing when the store had nothing to revert: every later
        // record, a new rollback's as much as a block's, implies its end.
        rollbackEnd(true);
      }
      openRollback = height;
    }

    void rollbackEnd(boolean done) {
      if (done && openRollback != null) {
        long to = openRollback;
        chain.removeIf(s -> s.height() > to);
        expectedNext = to + 1;
      }
      openRollback = null;
    }

    /**
     * The blocks to replay, their deltas decoded only now: the others (in the store already, or
     * cut by a rollback) are never applied, so a release without a model they changed starts.
     */
    Recovery finish(Path dir) throws IOException {
      long revert = Recovery.NO_REVERT;
      long base = storeHeight;
      if (openRollback != null) {
        long to = openRollback;
        chain.removeIf(s -> s.height() > to);
        if (storeHeight > to) {
          revert = to;
          base = to;
        }
      }
      final long from = base;
      List<LoggedBlock> pending = chain.stream().filter(s -> s.height() > from).toList();
      if (!pending.isEmpty() && pending.get(0).height() != from + 1) {
        throw new StoreException("write-ahead log " + dir + " is inconsistent with the store: "
            + "the store is at height " + from + " but the log continues at block "
            + pending.get(0).height() + "; refusing to start rather than apply it");
      }
      List<ChangeSet> blocks = new ArrayList<>(pending.size());
      for (LoggedBlock b : pending) {
        blocks.add(b.decode(schema));
      }
      return new Recovery(revert, blocks);
    }
  }

  /**
   * Reads one segment into the replay; returns the highest block height it holds. {@code
   * forcedOneByOne}: the log is opened with every record forced before the next is written, so a
   * whole record behind a damaged one means corruption; under group commit or {@code never()} a
   * power loss may keep a later record and lose an earlier one, and the tail is cut as torn.
   */
  private static long readSegment(Path path, boolean last, boolean forcedOneByOne, Schema schema,
      Replay replay) throws IOException {
    long max = -1;
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      long size = ch.size();
      ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
      if (readFully(ch, magic, 0) < MAGIC.length || !Arrays.equals(magic.array(), MAGIC)) {
        if (last && size < MAGIC.length) {
          LOG.warn("write-ahead log segment {} has a torn header ({} bytes); cutting it", path,
              size);
          ch.truncate(0);
          ch.write(ByteBuffer.wrap(MAGIC), 0);
          ch.force(true);
          return max;
        }
        throw new StoreException("write-ahead log segment " + path + " is not an SDB log");
      }
      long pos = MAGIC.length;
      ByteBuffer head = ByteBuffer.allocate(8);
      while (pos < size) {
        String problem = null;
        int length = 0;
        byte[] payload = null;
        head.clear();
        if (readFully(ch, head, pos) < 8) {
          problem = "a record header cut short";
        } else {
          length = head.getInt(0);
          int crc = head.getInt(4);
          if (length < 1 || pos + 8 + length > size) {
            problem = "a record of " + length + " bytes running past the end";
          } else {
            ByteBuffer body = ByteBuffer.allocate(length);
            readFully(ch, body, pos + 8);
            payload = body.array();
            if (crc(length, payload, 0, length) != crc) {
              problem = "a record failing its checksum";
            }
          }
        }
        if (problem != null) {
          // A torn write is the last record, cut short. A length that runs past the end may also
          // be a damaged length field in front of records that are whole: then it is corruption.
          boolean tail = last && (payload == null
              ? !(forcedOneByOne && wholeRecordAfter(ch, pos, size)) : pos + 8 + length == size);
          if (!tail) {
            throw new StoreException("write-ahead log segment " + path + " is corrupt at byte "
                + pos + " (" + problem + ") before its end; refusing to start rather than "
                + "apply it. Restore the log from a backup or, to accept losing every block "
                + "logged after that point, truncate this segment at byte " + pos + " and move "
                + "the later segments away (see docs/operations.md).");
          }
          LOG.warn("write-ahead log segment {}: torn write at byte {} ({}); cutting {} bytes",
              path, pos, problem, size - pos);
          ch.truncate(pos);
          ch.force(true);
          break;
        }
        switch (payload[0]) {
          case BLOCK -> {
            LoggedBlock set = LoggedBlock.of(payload);
            max = Math.max(max, set.height());
            replay.block(set, path);
          }
          case ROLLBACK_BEGIN -> replay.rollbackBegin(ByteBuffer.wrap(payload, 1, 8).getLong());
          case ROLLBACK_DONE -> replay.rollbackEnd(true);
          case ROLLBACK_ABORTED -> replay.rollbackEnd(false);
          default -> throw new StoreException("write-ahead log segment " + path + " has a record "
              + "of unknown type " + payload[0] + " at byte " + pos);
        }
        pos += 8 + length;
      }
    }
    return max;
  }

  /**
   * Whether a whole record (plausible type and length, matching checksum) starts anywhere after
   * {@code pos}: the bytes from there on are read once and each offset is tried, the checksum only
   * where the type and length fit.
   */
  private static boolean wholeRecordAfter(FileChannel ch, long pos, long size)
      throws IOException {
    long rest = size - pos - 1;
    if (rest < 9 || rest > Integer.MAX_VALUE) {
      return false;
    }
    ByteBuffer bytes = ByteBuffer.allocate((int) rest);
    readFully(ch, bytes, pos + 1);
    byte[] b = bytes.array();
    for (int at = 0; at + 9 <= b.length; at++) {
      int length = bytes.getInt(at);
      if (length < 1 || length > b.length - at - 8) {
        continue;
      }
      byte type = b[at + 8];
      boolean plausible = switch (type) {
        case BLOCK -> length > 5;
        case ROLLBACK_BEGIN -> length == 9;
        case ROLLBACK_ABORTED, ROLLBACK_DONE -> length == 1;
        default -> false;
      };
      if (plausible && crc(length, b, at + 8, length) == bytes.getInt(at + 4)) {
        return true;
      }
    }
    return false;
  }

  private static int readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    int total = 0;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private static int crc(int length, byte[] payload, int offset, int size) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(4).putInt(0, length));
    crc.update(payload, offset, size);
    return (int) crc.getValue();
  }

  private static long sequenceOf(Path p) {
    String name = p.getFileName().toString();
    return Long.parseLong(name.substring(4, 14));
  }

  // ------------------------------------------------------------------ encoding

  /** Appends a block record's payload: its type, the header as JSON, the compact deltas. */
  static void encodeBlock(ChangeSet set, BinaryDeltas.Sink out) {
    try {
      BlockHeader h = set.block();
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("height", h.height());
      header.put("id", h.id());
      header.put("prevBlockId", h.prevBlockId());
      header.put("timestamp", h.timestamp());
      header.put("fields", h.fields());
      byte[] headerJson = JSON.writeValueAsBytes(header);
      out.u8(BLOCK);
      out.i32(headerJson.length);
      out.raw(headerJson);
      BinaryDeltas.encodeInto(set.deltas(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A block record as read: its header, and its deltas still encoded until replay needs them. */
  private record LoggedBlock(BlockHeader header, byte[] payload, int deltasAt) {

    @SuppressWarnings("unchecked")
    static LoggedBlock of(byte[] payload) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(payload);
      buf.get();
      int headerLength = buf.getInt();
      Map<String, Object> h = JSON.readValue(payload, 5, headerLength, LinkedHashMap.class);
      BlockHeader header = new BlockHeader(((Number) h.get("height")).longValue(),
          (String) h.get("id"), (String) h.get("prevBlockId"),
          ((Number) h.get("timestamp")).longValue(), (Map<String, Object>) h.get("fields"));
      return new LoggedBlock(header, payload, 5 + headerLength);
    }

    long height() {
      return header.height();
    }

    ChangeSet decode(Schema schema) throws IOException {
      return new ChangeSet(header, BinaryDeltas.decode(payload, deltasAt,
          payload.length - deltasAt, schema));
    }
  }

  // ------------------------------------------------------------------ appending

  @Override
  public void append(ChangeSet block) {
    // One array holds the frame, the header and the deltas and goes to the file as it is: a
    // block of 1,000 W1 transfers is 850 KB, which used to be copied three more times.
    BinaryDeltas.Sink record = startRecord(blockRecord);
    try {
      encodeBlock(block, record);
      write(record, block.height());
    } finally {
      record.reset();
    }
  }

  @Override
  public void rollingBack(long height) {
    BinaryDeltas.Sink record = startRecord(new BinaryDeltas.Sink(17));
    record.u8(ROLLBACK_BEGIN);
    record.i64(height);
    write(record, -1);
  }

  @Override
  public void rollbackDone() {
    write(marker(ROLLBACK_DONE), -1);
  }

  @Override
  public void rollbackAborted() {
    try {
      write(marker(ROLLBACK_ABORTED), -1);
    } catch (StoreException e) {
      // without it, the next block would read as the end of the rollback: stop here, and let the
      // next start finish the rollback
      synchronized (this) {
        if (unusable == null) {
          closeForGood(e);
        }
      }
      throw e;
    }
  }

  private static BinaryDeltas.Sink marker(byte type) {
    BinaryDeltas.Sink record = startRecord(new BinaryDeltas.Sink(9));
    record.u8(type);
    return record;
  }

  /** Reserves a record's frame (length and checksum), which {@link #write} fills in. */
  private static BinaryDeltas.Sink startRecord(BinaryDeltas.Sink record) {
    record.i32(0);
    record.i32(0);
    return record;
  }

  private void write(BinaryDeltas.Sink record, long height) {
    byte[] bytes = record.array();
    int size = record.size();
    int length = size - 8;
    record.i32At(0, length);
    record.i32At(4, crc(length, bytes, 8, length));
    synchronized (this) {
      requireUsable();
      if (currentBytes > SEGMENT_BYTES) {
        rotate();
      }
      long start = currentBytes;
      try {
        file.write(bytes, 0, size);
        if (policy.isEveryBlock()) {
          // under the lock, so no rotation closes the segment meanwhile; rotations wait one fsync
          sync(file);
        }
      } catch (IOException e) {
        throw cutBack(start, e);
      }
      currentBytes += size;
      currentMaxHeight = Math.max(currentMaxHeight, height);
      dirty |= !policy.isEveryBlock(); // (every-block records are forced as they are written)
    }
  }

  /**
   * Cuts a record whose write or fsync failed off the log: half a record would read as corruption
   * at the next start, and a whole one would bring back what the caller was told failed, or log a
   * retry twice. If that fails too, the log takes no more records. Returns what to throw.
   */
  private StoreException cutBack(long start, IOException failure) {
    String failed = "appending to the write-ahead log " + currentPath + " failed";
    try {
      file.setLength(start);
      file.seek(start);
      file.getFD().sync();
      return new StoreException(failed + "; the record is not in the log", failure);
    } catch (IOException cut) {
      failure.addSuppressed(cut);
      StoreException e = new StoreException(failed + ", and cutting the record off failed too",
          failure);
      closeForGood(e);
      return e;
    }
  }

  private void closeForGood(StoreException why) {
    LOG.error("closing the write-ahead log in {} until the next start", dir, why);
    unusable = why;
    try {
      file.close();
    } catch (IOException e) {
      why.addSuppressed(e);
    }
  }

  /**
   * For tests: the next fsync of records (every block or grouped) fails with this, once: an
   * IOException, or an Error (which nothing here catches).
   */
  static volatile @Nullable Throwable failNextSyncForTest;

  private static void sync(RandomAccessFile f) throws IOException {
    Throwable injected = failNextSyncForTest;
    if (injected != null) {
      failNextSyncForTest = null;
      if (injected instanceof Error e) {
        throw e;
      }
      throw (IOException) injected;
    }
    f.getFD().sync();
  }

  private void backgroundSync() {
    try {
      force();
    } catch (StoreException e) {
      // Not logged and carried on: the log took no more records (see force), so the next
      // commitBlock fails with this reason and the node restarts.
    } catch (RuntimeException | Error e) {
      // Anything thrown out of a periodic task cancels its later runs without a word; this
      // one must go on forcing the log.
      LOG.error("background fsync of the write-ahead log {} failed; it is tried again", dir, e);
    }
  }

  @Override
  public void force() {
    synchronized (syncing) { // a background fsync in progress is waited for, not taken as done
      RandomAccessFile f;
      synchronized (this) {
        if (!dirty) {
          return; // every record written is on the disk, even if the log has stopped since
        }
        requireUsable();
        dirty = false;
        f = file;
      }
      try {
        sync(f);
      } catch (IOException e) {
        synchronized (this) {
          if (f != file && unusable == null) {
            return; // rotated meanwhile, which forced the segment before closing it
          }
          dirty = true; // not known to be on the disk
          if (unusable == null) {
            // Blocks committed since the last fsync may not be on disk, and a later fsync that
            // succeeds would not say whether they are: the log takes no more records.
            closeForGood(new StoreException("fsync of the write-ahead log " + currentPath
                + " failed; blocks committed since the last fsync may not be on disk", e));
          }
          requireUsable();
        }
      }
    }
  }

  /** Throws why the log takes no more records, if it does not. Call under the lock. */
  private void requireUsable() {
    if (unusable != null) {
      throw new StoreException("the write-ahead log in " + dir + " takes no more records ("
          + unusable.getMessage() + "); restart to recover", unusable);
    }
  }

  /**
   * Deletes the oldest segments while every block in them is flushed. Only a prefix may go: a
   * later segment can hold the end of a rollback whose start is in an earlier one, and replay must
   * see both or neither.
   */
  @Override
  public synchronized void flushedTo(long height) {
    if (unusable == null && currentMaxHeight >= 0 && currentMaxHeight <= height) {
      rotate();
    }
    while (!closed.isEmpty() && closed.get(0).maxHeight() <= height
        && delete(closed.get(0).path())) {
      closed.remove(0);
    }
  }

  private static boolean delete(Path p) {
    try {
      Files.deleteIfExists(p);
      return true;
    } catch (IOException e) {
      LOG.warn("cannot delete flushed write-ahead log segment {}", p, e);
      return false;
    }
  }

  /**
   * Closes the current segment and starts the next. A failure part-way can leave no segment, or
   * one without its header, to append to: the log then takes no more records until a restart.
   */
  private void rotate() {
    try {
      file.getFD().sync();
      file.close();
      closed.add(new Segment(currentPath, currentMaxHeight));
      startSegment();
    } catch (IOException e) {
      StoreException failed = new StoreException("rotating the write-ahead log in " + dir
          + " failed", e);
      closeForGood(failed);
      throw failed;
    }
  }

  private void startSegment() throws IOException {
    sequence++;
    currentPath = dir.resolve(String.format("wal-%010d.log", sequence));
    RandomAccessFile next = new RandomAccessFile(Files.createFile(currentPath).toFile(), "rw");
    try {
      next.write(MAGIC);
      next.getFD().sync();
    } catch (IOException e) {
      try {
        next.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    file = next;
    syncDirectory();
    currentMaxHeight = -1;
    currentBytes = MAGIC.length;
  }

  /**
   * Makes a new segment's directory entry durable. Only a {@link FileChannel} opens a directory,
   * and an interrupt closes it, so an interrupt pending on this thread is held back meanwhile and
   * set again afterwards.
   */
  private void syncDirectory() {
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
          d.force(true);
          return;
        } catch (ClosedByInterruptException e) {
          interrupted |= Thread.interrupted(); // interrupted during the fsync: once more
        } catch (IOException e) {
          LOG.debug("directory fsync not supported for {}", dir, e);
          return;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public synchronized void close() {
    if (syncer != null) {
      syncer.shutdown();
    }
    if (unusable != null) {
      return; // closed already, or for good after a failure, which was reported then
    }
    unusable = new StoreException("the write-ahead log is closed");
    try (RandomAccessFile last = file) { // closed even when the fsync fails
      last.getFD().sync();
      dirty = false;
    } catch (IOException e) {
      throw new StoreException("closing the write-ahead log " + currentPath + " failed", e);
    }
  }
}
