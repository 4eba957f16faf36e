package dev.grove.node.crash;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a write left half-done, as the tests that kill nodes look for them in the node's database: each query names
 * what it found, so an assertion that it is empty says which version or namespace broke.
 */
public final class StoredRows {

    private StoredRows() {
    }

    /** Versions (ns/name@version) that have no artifact rows. */
    public static List<String> versionsWithoutArtifacts(Statement s) throws SQLException {
        return names(s, "SELECT v.namespace || '/' || v.name || '@' || v.version FROM package_versions v "
                + "WHERE NOT EXISTS (SELECT 1 FROM version_artifacts a WHERE a.version_id = v.id)");
    }

    /**
     * Versions whose log entry is missing or not numbered yet: found by index (rows written before sequencing after
     * commit) or by entry id.
     */
    public static List<String> versionsWithoutNumberedEntry(Statement s) throws SQLException {
        return names(s, "SELECT v.namespace || '/' || v.name || '@' || v.version FROM package_versions v "
                + "WHERE NOT EXISTS (SELECT 1 FROM log_entries e WHERE e.idx IS NOT NULL AND (e.idx = v.log_index "
                + "OR e.id = v.log_entry))");
    }

    /** Namespaces without their keys or without the record of their keyset. */
    public static List<String> namespacesWithoutKeys(Statement s) throws SQLException {
        return names(s, "SELECT n.name FROM namespaces n "
                + "WHERE NOT EXISTS (SELECT 1 FROM namespace_keys k WHERE k.origin = n.origin AND k.namespace = n.name) "
                + "OR NOT EXISTS (SELECT 1 FROM keyset_changes c WHERE c.origin = n.origin AND c.namespace = n.name)");
    }

    private static List<String> names(Statement s, String sql) throws SQLException {
        List<String> found = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        return found;
    }
}
