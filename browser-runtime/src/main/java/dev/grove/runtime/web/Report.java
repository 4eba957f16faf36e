package dev.grove.runtime.web;

import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a package load checked, in order: one line per check, each passed, skipped (with why) or failed. */
public final class Report {
    /** One check: its name, its outcome and a sentence saying what was compared with what. */
    public record Check(String name, String status, String detail) {
        public static final String PASSED = "passed";
        public static final String SKIPPED = "skipped";
        public static final String FAILED = "failed";

        JsonObject toJson() {
            return JsonObject.builder().put("check", name).put("status", status).put("detail", detail).build();
        }
    }

    private final List<Check> checks = new ArrayList<>();

    void passed(String name, String detail) {
        checks.add(new Check(name, Check.PASSED, detail));
    }

    void skipped(String name, String detail) {
        checks.add(new Check(name, Check.SKIPPED, detail));
    }

    PackageRefusedException failed(String name, String detail) {
        checks.add(new Check(name, Check.FAILED, detail));
        return new PackageRefusedException(name, detail).withReport(this);
    }

    PackageRefusedException failed(String name, String detail, Throwable cause) {
        checks.add(new Check(name, Check.FAILED, detail));
        return new PackageRefusedException(name, detail, cause).withReport(this);
    }

    public List<Check> checks() {
        return Collections.unmodifiableList(checks);
    }

    public JsonArray toJson() {
        List<JsonValue> out = new ArrayList<>(checks.size());
        for (Check c : checks) {
            out.add(c.toJson());
        }
        return JsonArray.of(out);
    }

    @Override
    public String toString() {
        return Json.write(toJson());
    }
}
