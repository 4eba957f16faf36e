package dev.grove.node.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Run in a separate JVM by {@link EmbeddedDatabaseTest}: starts a database, writes a row, says READY, waits to be killed. */
public final class EmbeddedDatabaseChild {

    public static void main(String[] args) throws Exception {
        EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]));
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + db.port() + "/grove", "postgres",
                "postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS marks (v text)");
            s.execute("INSERT INTO marks VALUES ('" + args[1] + "')");
        }
        System.out.println("READY " + db.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
