package cdna.migration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Java twin's state as MigrationHandoff's variables, in TLA+'s terms:
 * strings for TLA+ strings and model values, Integer and Boolean, a List for a
 * function on 1..n and a Set for a set.  Conformance compares it with TLC's
 * states, variable by variable.
 */
public final class HandoffState {
    private HandoffState() {}

    /** The spec's variables, in the order the spec declares them. */
    public static final List<String> VARIABLES = List.of("src", "dst", "migrating", "cancelled", "path", "unplug", "ctx", "pending",
            "ownerA", "memA", "memB", "writes", "logging", "dirty", "devCopies", "directB", "sent", "flight", "macA", "macB",
            "filterTo", "delivered");

    public static Map<String, Object> of(Handoff h) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("src", h.a.vm.name());
        v.put("dst", h.b.vm.name());
        v.put("migrating", h.migrating);
        v.put("cancelled", h.cancelled);
        v.put("path", h.a.path.name().toLowerCase());
        v.put("unplug", h.a.unplug.name().toLowerCase());
        v.put("ctx", h.a.ctx.name().toLowerCase());
        v.put("pending", h.a.pending);
        List<Object> owner = new ArrayList<>();
        for (int p = 1; p < h.a.owner.length; p++) owner.add(h.a.owner[p]);
        v.put("ownerA", owner);
        v.put("memA", pages(h.a.mem));
        v.put("memB", pages(h.b.mem));
        v.put("writes", h.a.writes);
        v.put("logging", h.a.logging);
        Set<Object> dirty = new TreeSet<>();
        h.a.dirty.stream().forEach(dirty::add);
        v.put("dirty", dirty);
        v.put("devCopies", h.b.devCopies);
        v.put("directB", h.b.direct);
        v.put("sent", h.net.sent);
        v.put("flight", new TreeSet<Object>(h.net.flight));
        v.put("macA", h.net.macA);
        v.put("macB", h.net.macB);
        v.put("filterTo", h.a.filterTo);
        List<Object> delivered = new ArrayList<>();
        for (TreeSet<String> d : h.net.delivered) delivered.add(new TreeSet<Object>(d));
        v.put("delivered", delivered);
        return v;
    }

    private static List<Object> pages(int[] mem) {
        List<Object> r = new ArrayList<>();
        for (int p = 1; p < mem.length; p++) r.add(mem[p]);
        return r;
    }
}
