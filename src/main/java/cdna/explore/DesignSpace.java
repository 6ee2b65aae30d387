package cdna.explore;

import cdna.design.Design;
import cdna.design.Switch;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The designs reached from a base by varying some switches, with designs that
 * differ only in inert switches ({@link Switch#inertIn}) folded into one
 * class: one representative is explored for all of them.
 */
public final class DesignSpace {
    private DesignSpace() {}

    /**
     * One class of designs with the same behaviours.
     *
     * @param design  the representative: every inert switch at the base's value
     * @param changed the representative's switches that differ from the base: name -> [base value, value]
     * @param knownAs the design file with exactly the representative's values (null: none)
     * @param covers  the other variants of the class, each as its changes from the base ("SubPageBounce=false")
     * @param inert   why each switch folded in the class makes no difference
     */
    public record Candidate(Design design, Map<String, List<Object>> changed, String knownAs, List<String> covers,
                            Map<String, String> inert) {
        public String name() { return design.name(); }

        /** The changes from the base, "IommuStrategy=shared, Invalidation=deferred", or "(the base)". */
        public String changes() {
            if (changed.isEmpty()) return "(the base)";
            List<String> out = new ArrayList<>();
            changed.forEach((k, v) -> out.add(k + "=" + v.get(1)));
            return String.join(", ", out);
        }
    }

    /**
     * The switches explored by default: every switch that has an effect in the
     * base's protection mode, but the provisioning ones (they cost no packet
     * anything; see {@link Switch#provisioning}).
     */
    public static List<Switch> defaultVary(Design base) {
        List<Switch> out = new ArrayList<>();
        for (Switch s : Switch.values()) {
            if (s != Switch.Protection && !s.provisioning() && s.modes().contains(base.protection())) out.add(s);
        }
        return out;
    }

    /** Every combination of values of the {@code vary} switches (their full product). */
    public static List<Candidate> product(Design base, List<Switch> vary, List<Design> files) {
        List<Map<Switch, Object>> points = new ArrayList<>();
        points.add(new EnumMap<>(base.values()));
        for (Switch s : vary) {
            List<Map<Switch, Object>> next = new ArrayList<>();
            for (Map<Switch, Object> p : points) {
                for (Object v : s.domain(base.get(s))) {
                    Map<Switch, Object> q = new EnumMap<>(p);
                    q.put(s, v);
                    next.add(q);
                }
            }
            points = next;
        }
        return fold(base, points, files);
    }

    /** The base, every design that changes one of the {@code vary} switches, and every one that changes two. */
    public static List<Candidate> oneAndTwo(Design base, List<Switch> vary, List<Design> files) {
        List<Map<Switch, Object>> points = new ArrayList<>();
        points.add(new EnumMap<>(base.values()));
        for (int i = 0; i < vary.size(); i++) {
            Switch a = vary.get(i);
            for (Object va : others(base, a)) {
                Map<Switch, Object> p = new EnumMap<>(base.values());
                p.put(a, va);
                points.add(p);
                for (int j = i + 1; j < vary.size(); j++) {
                    Switch b = vary.get(j);
                    for (Object vb : others(base, b)) {
                        Map<Switch, Object> q = new EnumMap<>(p);
                        q.put(b, vb);
                        points.add(q);
                    }
                }
            }
        }
        return fold(base, points, files);
    }

    private static List<Object> others(Design base, Switch s) {
        List<Object> out = new ArrayList<>(s.domain(base.get(s)));
        out.remove(base.get(s));
        return out;
    }

    /** Folds the points into classes (in order of first appearance) and names each representative. */
    static List<Candidate> fold(Design base, List<Map<Switch, Object>> points, List<Design> files) {
        Map<Map<Switch, Object>, List<Map<Switch, Object>>> classes = new LinkedHashMap<>();
        // the base's class first, whatever the enumeration's order
        if (points.contains(base.values())) classes.put(new EnumMap<>(base.values()), new ArrayList<>());
        Map<Map<Switch, Object>, Map<String, String>> inert = new LinkedHashMap<>();
        for (Map<Switch, Object> p : points) {
            Map<String, String> why = new LinkedHashMap<>();
            Map<Switch, Object> rep = canonical(base, p, why);
            classes.computeIfAbsent(rep, k -> new ArrayList<>());
            inert.computeIfAbsent(rep, k -> new LinkedHashMap<>());
            List<Map<Switch, Object>> members = classes.get(rep);
            if (!members.contains(p)) members.add(p);
            if (!p.equals(rep)) inert.get(rep).putAll(why);
        }
        List<Candidate> out = new ArrayList<>();
        for (var e : classes.entrySet()) {
            Map<Switch, Object> rep = e.getKey();
            String knownAs = null;
            for (Design f : files) if (f.values().equals(rep) && f.protection() == base.protection()) { knownAs = f.name(); break; }
            Map<String, List<Object>> changed = changes(base, rep);
            String name = rep.equals(base.values()) ? base.name() : knownAs != null ? knownAs : nameOf(base, changed);
            String description = changed.isEmpty() ? base.description()
                    : "Explored from " + base.name() + ": " + String.join(", ", changed.entrySet().stream()
                    .map(c -> c.getKey() + " " + c.getValue().get(0) + " -> " + c.getValue().get(1)).toList()) + ".";
            Design d = new Design(name, description, rep);
            List<String> covers = new ArrayList<>();
            for (Map<Switch, Object> m : e.getValue()) {
                if (m.equals(rep)) continue;
                List<String> c = new ArrayList<>();
                changes(base, m).forEach((k, v) -> c.add(k + "=" + v.get(1)));
                covers.add(c.isEmpty() ? "(the base)" : String.join(", ", c));
            }
            out.add(new Candidate(d, changed, knownAs, List.copyOf(covers), Map.copyOf(inert.get(rep))));
        }
        return out;
    }

    /**
     * The representative of p's class: every switch inert in p set back to the
     * base's value (repeated until nothing changes, as one switch's guard may
     * read another).
     */
    static Map<Switch, Object> canonical(Design base, Map<Switch, Object> p, Map<String, String> why) {
        Map<Switch, Object> cur = new EnumMap<>(p);
        for (boolean changed = true; changed; ) {
            changed = false;
            Design d = new Design("canonical", "", cur);
            for (Switch s : Switch.values()) {
                String reason = s.inertIn(d);
                if (reason != null && !cur.get(s).equals(base.get(s))) {
                    why.put(s.name(), reason);
                    cur.put(s, base.get(s));
                    changed = true;
                }
            }
        }
        return cur;
    }

    private static Map<String, List<Object>> changes(Design base, Map<Switch, Object> p) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (Switch s : Switch.values()) if (!p.get(s).equals(base.get(s))) out.put(s.name(), List.of(base.get(s), p.get(s)));
        return out;
    }

    /** "iommu-baseline.IommuStrategy-shared.Invalidation-deferred": a legal design name that says what changed. */
    static String nameOf(Design base, Map<String, List<Object>> changed) {
        StringBuilder b = new StringBuilder(base.name());
        changed.forEach((k, v) -> b.append('.').append(k).append('-').append(v.get(1)));
        return b.toString();
    }
}
