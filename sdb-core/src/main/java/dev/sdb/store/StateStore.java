package dev.sdb.store;

import dev.sdb.ChangeSet;
import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Where committed blocks are kept: the SPI between SDB's engine and a database.
 *
 * <p><b>Rows.</b> A row is an {@code Object[]} in {@link ModelSchema#columns()} order, each value
 * in its {@link dev.sdb.schema.ColumnType}'s Java type. A row handed to the engine becomes the
 * engine's: the store must not keep or modify it afterwards.
 *
 * <p><b>Atomicity.</b> {@link #apply} and {@link #revertTo} are atomic: after they return or throw,
 * all of the blocks they were given are visible, or none is. The store is therefore always at a
 * block boundary, and {@link #flushedHeight()} names that boundary. If a store cannot tell which
 * (its commit's answer was lost and the database cannot be asked), it throws {@link
 * dev.sdb.StoreInDoubtException}: a later {@code apply} of the same blocks must then find out
 * and write only what is missing, and the engine stops after a {@code revertTo} in doubt.
 *
 * <p><b>Threads.</b> The engine calls {@link #apply}, {@link #prepare} and {@link
 * #finishPreparing} from its flusher thread (a flush the writer triggers runs {@code apply} on the
 * writer's thread), {@link #scan} of a memory model during start-up from a loading thread of its
 * own, and every other method from its writer thread, possibly at the same time: implementations
 * must be thread-safe and must not tie state to the calling thread. The engine never calls {@code
 * apply} and {@code revertTo} concurrently.
 */
public interface StateStore extends AutoCloseable {

  /**
   * Prepares the store for this schema (creates or migrates tables). Called once, before any other
   * method.
   */
  void open(Schema schema);

  /** The height of the last block applied, or -1 when the store holds no block. */
  long flushedHeight();

  /**
   * The row whose {@code columns} hold {@code values}, or {@code null}. The columns are the
   * primary key or a unique key, so at most one row matches.
   */
  Object @Nullable [] find(ModelSchema model, List<Column> columns, List<Object> values);

  /**
   * About how many rows the model has, cheaply (statistics, not a count), or -1 if the store
   * cannot tell. The engine sizes its key filters with it before it scans the keys, so a large
   * table gets one filter layer instead of one per doubling. It may be off either way: too low
   * costs another layer, too high some memory. Default: -1.
   */
  default long estimatedRows(ModelSchema model) {
    return -1;
  }

  /** Hands every row of the model to {@code sink}, in primary-key order. */
  void scan(ModelSchema model, Consumer<Object[]> sink);

  /**
   * Hands the value of {@code columns} (a primary or unique key, normalised as by {@link
   * ModelSchema#keyOf}) of every row to {@code sink}, skipping null values. The engine builds the
   * filters that spare a create its database lookup from these; stores should override this with
   * a query that reads only those columns.
   */
  default void scanKeys(ModelSchema model, List<Column> columns, Consumer<Object> sink) {
    scan(model, row -> {
      Object value = ModelSchema.valueOf(row, columns);
      if (value != null) {
        sink.accept(value);
      }
    });
  }

  /**
   * Applies committed blocks, in order, atomically: their rows, block headers and change sets all
   * become visible together or not at all. The first block's height is {@code flushedHeight()+1}
   * and heights are consecutive.
   *
   * @throws dev.sdb.StoreException if the blocks could not be applied; nothing was applied
   */
  void apply(List<ChangeSet> blocks);

  /**
   * After an {@link #apply} that ended in doubt ({@link dev.sdb.StoreInDoubtException}): how many
   * of {@code blocks} (that apply's, lowest first) the store holds now, found without changing
   * anything. "None" must be final: a store whose commits can still land after their answer was
   * lost waits for that apply to end first. Afterwards {@code flushedHeight()} is the height of
   * the last one held, or what it was. The default reads {@link #flushedHeight()}, for stores that are never in doubt.
   *
   * @throws dev.sdb.StoreException if the store cannot tell, or holds other blocks
   */
  default int holding(List<ChangeSet> blocks) {
    long held = flushedHeight() - blocks.get(0).height() + 1;
    return (int) Math.max(0, Math.min(blocks.size(), held));
  }

  /**
   * Called on the flusher's thread when a committed block joins the queue, before the flush that
   * will write it, in commit order: a store may do now, while the writer goes on, the work a flush
   * needs first for the block, so the flush finds it ready. The block may still be rolled back
   * before it is applied, and the call may come after the flush that wrote it (the flusher's thread
   * lagging behind a flush on the writer's): a store keeps nothing for a block at or below its
   * flushed height. Default: nothing.
   */
  default void prepare(ChangeSet block) {}

  /**
   * The second stage of {@link #prepare}, for work a flush needs only late (such as encoding the
   * block's history): called on the flusher's thread after {@code prepare(block)}, and only when
   * every block queued so far has had its {@code prepare}, so that a block arriving meanwhile
   * gets its first stage before older blocks get their second. It may be called while a flush
   * is writing the block, after that flush, or never (the block was flushed or rolled back
   * first); the same rules as for {@code prepare} apply. Default: nothing.
   */
  default void finishPreparing(ChangeSet block) {}

  /**
   * The id of the block the store holds at {@code height}, if it holds that block: the start-up
   * checks that the write-ahead log's next block follows it, so that a log of another chain or
   * another database is never replayed. Default: empty, which skips the check.
   */
  default java.util.Optional<String> blockId(long height) {
    return java.util.Optional.empty();
  }

  /** The change sets of the blocks above {@code height}, lowest height first. */
  List<ChangeSet> changeSetsAbove(long height);

  /**
   * Undoes every block above {@code height} atomically: the inverse of their deltas, newest first,
   * and the removal of their headers and change sets. Afterwards {@code flushedHeight() ==
   * height}.
   *
   * @throws dev.sdb.StoreException if the blocks could not be undone; nothing was undone
   */
  void revertTo(long height);

  /**
   * {@link #revertTo(long)} for the engine, which has just read {@code above} with {@link
   * #changeSetsAbove} to undo its memory. A store may undo these change sets instead of reading
   * them again, once it has checked, in the same transaction as the undo, that they are exactly
   * the blocks it holds above {@code height}; otherwise it must read its own. The default reads
   * them again.
   */
  default void revertTo(long height, List<ChangeSet> above) {
    revertTo(height);
  }

  /**
   * Whether this store keeps data across a restart. A durable store needs a write-ahead log (or
   * an explicit {@code noWal()}) so that committed but unflushed blocks survive a crash.
   */
  default boolean isDurable() {
    return true;
  }

  /** Where the write-ahead log goes unless configured otherwise (e.g. beside a database file). */
  default java.util.Optional<java.nio.file.Path> defaultWalDirectory() {
    return java.util.Optional.empty();
  }

  /** Releases connections and files. */
  @Override
  void close();
}
