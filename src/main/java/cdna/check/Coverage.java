package cdna.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often each action of a spec fired in one TLC run, from the coverage
 * block TLC prints with {@code -coverage} (the last one: TLC prints one every
 * interval and one at the end).
 *
 * <p>TLC splits Next into its disjuncts and reports each by the name of the
 * operator it found there, with its location; one operator may appear at
 * several locations (an action called from two disjuncts), and those are
 * summed here.  {@code taken} counts the successor states the action produced
 * (once per enabled instance per explored state), {@code found} those of them
 * that were new.  An action with {@code taken == 0} never fired.
 *
 * @param actions in the order TLC printed them; Init included (taken = initial states)
 * @param allowed actions the design lets stay dead, with why (empty until {@link #allowing} says so)
 */
public record Coverage(List<Action> actions, Map<String, String> allowed) {
    /** One action: the name TLC gives it, where it is defined, and its counts. */
    public record Action(String name, String location, long taken, long found) {}

    // "<NicFetch line 217, col 1 to line 217, col 11 of module CdnaProtection (219 3 228 64)>: 4378:8972":
    // name, location (and, for an action TLC found inside a definition, the span of its body), distinct:generated
    private static final Pattern LINE = Pattern.compile(
            "^<(\\w+) (line \\d+, col \\d+ to line \\d+, col \\d+ of module \\w+)(?: \\([\\d ]+\\))?>: ([\\d,]+):([\\d,]+)$");

    /** The last coverage block of a run, or null when TLC printed none (or one that does not parse). */
    public static Coverage of(TlcOutput out) {
        Map<String, long[]> counts = null;
        Map<String, String> where = null;
        boolean bad = false;
        for (TlcOutput.Message m : out.messages()) {
            if (m.code() == TlcOutput.COVERAGE_BEGINS) {
                counts = new LinkedHashMap<>();
                where = new LinkedHashMap<>();
                bad = false;
            } else if (counts != null && (m.code() == TlcOutput.COVERAGE_ACTION || m.code() == TlcOutput.COVERAGE_INIT)) {
                Matcher x = LINE.matcher(m.text().trim());
                if (!x.matches()) {
                    bad = true;
                    continue;
                }
                long[] c = counts.computeIfAbsent(x.group(1), k -> new long[2]);
                where.putIfAbsent(x.group(1), x.group(2));
                // TLC prints distinct:generated
                c[0] += Long.parseLong(x.group(4).replace(",", ""));
                c[1] += Long.parseLong(x.group(3).replace(",", ""));
            }
        }
        if (counts == null || counts.isEmpty() || bad) return null;
        List<Action> list = new ArrayList<>();
        for (var e : counts.entrySet()) list.add(new Action(e.getKey(), where.get(e.getKey()), e.getValue()[0], e.getValue()[1]));
        return new Coverage(List.copyOf(list), Map.of());
    }

    public Action action(String name) {
        for (Action a : actions) if (a.name().equals(name)) return a;
        return null;
    }

    /** This coverage, knowing which actions may stay dead under the design at hand (action -> why). */
    public Coverage allowing(Map<String, String> mayNotFire) {
        return new Coverage(actions, Map.copyOf(mayNotFire));
    }

    /** The actions that never fired although nothing allows it: what makes a run vacuous. */
    public List<String> dead() {
        List<String> out = new ArrayList<>();
        for (String a : neverFired()) if (!allowed.containsKey(a)) out.add(a);
        return out;
    }

    /** The actions (Init aside) that never fired. */
    public List<String> neverFired() {
        List<String> out = new ArrayList<>();
        for (Action a : actions) if (a.taken() == 0 && !a.name().equals("Init")) out.add(a.name());
        return out;
    }
}
