package dev.sdb;

import dev.sdb.schema.Column;
import dev.sdb.schema.ModelSchema;
import dev.sdb.schema.Schema;
import dev.sdb.store.StateStore;
import java.util.List;
import java.util.function.Consumer;

/** A store whose writes can be made to fail, to test that failures change nothing. */
class FailingStore extends FailingStoreBase {
  volatile boolean failApply;
  volatile boolean failRevert;

  FailingStore(StateStore delegate) {
    super(delegate);
  }

  @Override
  public void apply(List<ChangeSet> blocks) {
    if (failApply) {
      throw new StoreException("injected apply failure");
    }
    super.apply(blocks);
  }

  @Override
  public void revertTo(long height) {
    if (failRevert) {
      throw new StoreException("injected revert failure");
    }
    super.revertTo(height);
  }
}

/** A store that delegates everything; tests override what they break. */
class FailingStoreBase implements StateStore {
  final StateStore delegate;

  FailingStoreBase(StateStore delegate) {
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
  public void scanKeys(ModelSchema model, List<Column> columns, Consumer<Object> sink) {
    delegate.scanKeys(model, columns, sink);
  }

  @Override
  public long estimatedRows(ModelSchema model) {
    return delegate.estimatedRows(model);
  }

  @Override
  public void apply(List<ChangeSet> blocks) {
    delegate.apply(blocks);
  }

  @Override
  public List<ChangeSet> changeSetsAbove(long height) {
    return delegate.changeSetsAbove(height);
  }

  @Override
  public void revertTo(long height) {
    delegate.revertTo(height);
  }

  @Override
  public boolean isDurable() {
    return delegate.isDurable();
  }

  @Override
  public java.util.Optional<java.nio.file.Path> defaultWalDirectory() {
    return delegate.defaultWalDirectory();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
