package dev.sdb.examples;

import dev.sdb.BlockHeader;
import dev.sdb.Sdb;
import dev.sdb.SdbException;
import dev.sdb.schema.Id;
import dev.sdb.schema.Model;
import dev.sdb.schema.Property;
import dev.sdb.schema.Schema;
import dev.sdb.store.MemoryStateStore;
import java.math.BigInteger;
import java.util.Map;

/**
 * The README's example, compiled and run by the build: a memory model, a few blocks of transfers,
 * a failed contract rolled back, and a block rollback.
 */
public final class QuickStart {
  private QuickStart() {}

  // region readme
  @Model(memory = true)
  public record Account(@Id @Property(maxLength = 50) String address,
                        @Property(defaultValue = "0") BigInteger gny) {}

  public static void main(String[] args) {
    try (Sdb sdb = Sdb.builder().schema(Schema.of(Account.class))
        .store(new MemoryStateStore()).open()) {
      sdb.beginBlock(new BlockHeader(0, "genesis", null, 0));
      sdb.create(new Account("alice", BigInteger.valueOf(100)));
      sdb.create(new Account("bob", BigInteger.ZERO));
      sdb.commitBlock();

      for (long height = 1; height <= 3; height++) {
        sdb.beginBlock(new BlockHeader(height, "block-" + height, "block-" + (height - 1), height));
        sdb.beginContract();
        try {
          sdb.lock("transfer@alice-" + height);
          sdb.increase(Account.class, Map.of("gny", -40), Map.of("address", "alice"));
          sdb.increase(Account.class, Map.of("gny", 40), Map.of("address", "bob"));
          if (sdb.get(Account.class, Map.of("address", "alice")).orElseThrow().gny().signum() < 0) {
            throw new SdbException("alice cannot pay 40");
          }
          sdb.commitContract();
        } catch (SdbException e) {
          sdb.rollbackContract(); // undoes both increases and the lock
          System.out.println("block " + height + ": contract failed: " + e.getMessage());
        }
        sdb.commitBlock();
      }
      System.out.println("after block 3: " + sdb.getAll(Account.class));
      sdb.rollbackBlock(1); // undo blocks 2 and 3
      System.out.println("after rollback to 1: " + sdb.getAll(Account.class));
    }
  }
  // endregion readme
}
