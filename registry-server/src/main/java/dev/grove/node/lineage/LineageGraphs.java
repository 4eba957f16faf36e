package dev.grove.node.lineage;

import dev.grove.node.problem.NotFound;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The lineage graph around a package, read from {@code lineage_edges} and {@code package_versions}: its ancestors and
 * descendants by digest up to a depth, each node known to this node with its ref, origin, operator, summary, yank and
 * reproduction state, each parent it does not hold with {@code "known": false} and the origin and ref the child cited.
 */
final class LineageGraphs {

    private static final String ANCESTORS = """
            WITH RECURSIVE up(child, parent, origin, ref, operator, depth) AS (
                SELECT child_digest, parent_digest, parent_origin, parent_ref, operator, 1
                  FROM lineage_edges WHERE child_digest = $1
                UNION
                SELECT e.child_digest, e.parent_digest, e.parent_origin, e.parent_ref, e.operator, up.depth + 1
                  FROM lineage_edges e JOIN up ON e.child_digest = up.parent
                 WHERE up.depth < $2
            )
            SELECT DISTINCT child, parent, origin, ref, operator FROM up""";

    private static final String DESCENDANTS = """
            WITH RECURSIVE down(child, parent, origin, ref, operator, depth) AS (
                SELECT child_digest, parent_digest, parent_origin, parent_ref, operator, 1
                  FROM lineage_edges WHERE parent_digest = $1
                UNION
                SELECT e.child_digest, e.parent_digest, e.parent_origin, e.parent_ref, e.operator, down.depth + 1
                  FROM lineage_edges e JOIN down ON e.parent_digest = down.child
                 WHERE down.depth < $2
            )
            SELECT DISTINCT child, parent, origin, ref, operator FROM down""";

    private static final String NODES = """
            SELECT digest, origin, namespace, name, version, operator, yanked, summary, lineage_reproduced,
                   lineage_reason
              FROM package_versions WHERE digest = ANY($1)""";

    private final Pool pool;
    private final String origin;

    /** {@code origin} is this node's, given to the packages it published itself. */
    LineageGraphs(Pool pool, String origin) {
        this.pool = pool;
        this.origin = origin;
    }

    /**
     * {@code {"root", "depth", "nodes", "edges"}} around {@code root}; fails with {@link NotFound} when this node holds
     * no package with that digest.
     */
    Future<JsonObject> graph(String root, int depth) {
        Map<String, JsonObject> edges = new LinkedHashMap<>();
        Map<String, String> citedOrigin = new LinkedHashMap<>();
        Map<String, String> citedRef = new LinkedHashMap<>();
        Future<Void> up = pool.preparedQuery(ANCESTORS).execute(Tuple.of(root, depth)).map(rows -> {
            collect(rows, edges, citedOrigin, citedRef);
            return null;
        });
        Future<Void> down = pool.preparedQuery(DESCENDANTS).execute(Tuple.of(root, depth)).map(rows -> {
            collect(rows, edges, citedOrigin, citedRef);
            return null;
        });
        return Future.all(up, down).compose(v -> {
            Set<String> digests = new LinkedHashSet<>();
            digests.add(root);
            edges.values().forEach(e -> {
                digests.add(e.getString("child"));
                digests.add(e.getString("parent"));
            });
            return pool.preparedQuery(NODES).execute(Tuple.of(digests.toArray(String[]::new))).map(rows -> {
                Map<String, JsonObject> nodes = new LinkedHashMap<>();
                for (Row r : rows) {
                    nodes.put(r.getString("digest"), new JsonObject()
                            .put("digest", r.getString("digest"))
                            .put("ref", r.getString("namespace") + "/" + r.getString("name") + "@" + r.getString("version"))
                            .put("origin", r.getString("origin").isEmpty() ? origin : r.getString("origin"))
                            .put("known", true)
                            .put("operator", r.getString("operator"))
                            .put("summary", r.getString("summary"))
                            .put("yanked", r.getBoolean("yanked"))
                            .put("reproduced", r.getBoolean("lineage_reproduced"))
                            .put("reproducedReason", r.getString("lineage_reason")));
                }
                if (!nodes.containsKey(root)) {
                    throw new NotFound("no package with digest " + root + " on this node");
                }
                JsonArray nodeList = new JsonArray();
                for (String digest : digests) {
                    JsonObject node = nodes.get(digest);
                    if (node == null) {
                        node = new JsonObject().put("digest", digest).put("known", false)
                                .put("origin", citedOrigin.get(digest)).put("ref", citedRef.get(digest));
                    }
                    nodeList.add(node);
                }
                return new JsonObject().put("root", root).put("depth", depth).put("nodes", nodeList)
                        .put("edges", new JsonArray(edges.values().stream().map(e -> (Object) e).toList()));
            });
        });
    }

    private static void collect(Iterable<Row> rows, Map<String, JsonObject> edges, Map<String, String> origins,
                                Map<String, String> refs) {
        for (Row r : rows) {
            String child = r.getString("child");
            String parent = r.getString("parent");
            edges.putIfAbsent(child + ">" + parent, new JsonObject()
                    .put("child", child).put("parent", parent).put("operator", r.getString("operator")));
            if (r.getString("origin") != null) {
                origins.putIfAbsent(parent, r.getString("origin"));
            }
            if (r.getString("ref") != null) {
                refs.putIfAbsent(parent, r.getString("ref"));
            }
        }
    }
}
