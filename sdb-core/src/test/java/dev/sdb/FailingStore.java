package dev.sdb;

import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import dev.sdb.store.StateStore;
import java.util.List;
import java.util.function.Consumer;

/** A store whose writes can be made to fail, to test that failures change nothing. */
final class FailingStore implements StateStore {
  final StateStore delegate;
  volatile boolean failApply;
  volatile boolean failRevert;

  FailingStore(StateStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void open(Schema schema) {
    delegate.open(schema);
  }

  @Override
  public long flushedHeight() {
    return delegate.flushedHeight();
  }

  @Override
  public Object[] find(ModelSchema model, List<Column> columns, List<Object> values) {
    return delegate.find(model, columns, values);
  }

  @Override
  public void scan(ModelSchema model, Consumer<Object[]> sink) {
    delegate.scan(model, sink);
  }

  @Override
  public void apply(List<ChangeSet> blocks) {
    if (failApply) {
      throw new StoreException("injected apply failure");
    }
    delegate.apply(blocks);
  }

  @Override
  public List<ChangeSet> changeSetsAbove(long height) {
    return delegate.changeSetsAbove(height);
  }

  @Override
  public void revertTo(long height) {
    if (failRevert) {
      throw new StoreException("injected revert failure");
    }
    delegate.revertTo(height);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
