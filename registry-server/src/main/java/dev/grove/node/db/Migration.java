package dev.grove.node.db;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One numbered SQL script, {@code V<version>__<description>.sql}.
 *
 * @param version  the number in the file name ({@code V001__packages.sql} is 1)
 * @param name     the file name
 * @param sql      the script (may hold several statements)
 * @param checksum {@code sha256:<hex>} of the script's UTF-8 bytes
 */
public record Migration(int version, String name, String sql, String checksum) {

    private static final Pattern NAME = Pattern.compile("V(\\d{1,9})__[A-Za-z0-9_]+\\.sql");

    public Migration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(checksum, "checksum");
    }

    /** The version in a file name; {@link MigrationException} unless the name is {@code V<digits>__<words>.sql}. */
    static int versionOf(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            throw new MigrationException("migration file name '" + fileName
                    + "' does not look like V<number>__<description>.sql");
        }
        return Integer.parseInt(m.group(1));
    }
}
