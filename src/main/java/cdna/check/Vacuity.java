package cdna.check;

import cdna.design.Design;
import cdna.design.Switch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a model must exercise for its "holds" to mean something (the
 * manifest's {@code vacuity} section, per module, and a model's own
 * {@code mayNotFire}).
 *
 * <p>Every action TLC reports in a run's coverage must fire at least once,
 * except those listed in {@link #mayNotFire} for the design at hand (a switch
 * that turns an action off, a bound under which it cannot fire); a run in
 * which another action never fires is vacuous.  Each property must also have
 * a {@link Witness}: a state predicate of the module describing the dangerous
 * situation the property guards against, which TLC must reach in the very
 * model and design that hold.
 *
 * @param mayNotFire actions allowed never to fire, with the switches under which and why
 * @param witnesses  reachability witnesses, each for one or more properties
 */
public record Vacuity(List<Exemption> mayNotFire, List<Witness> witnesses) {
    public static final Vacuity NONE = new Vacuity(List.of(), List.of());

    /**
     * An action that need not fire.
     *
     * @param when switch values under which (all must match; empty: always)
     */
    public record Exemption(String action, Map<Switch, Set<Object>> when, String why) {}

    /**
     * A reachability witness.
     *
     * @param name       the state predicate's operator in the model's module
     * @param properties the properties whose "holds" it backs
     * @param when       switch values under which it must be reached (all must match; empty: always)
     * @param about      the dangerous situation it describes, in words
     */
    public record Witness(String name, List<String> properties, Map<Switch, Set<Object>> when, String about) {}

    static boolean matches(Map<Switch, Set<Object>> when, Design d) {
        for (var e : when.entrySet()) if (!e.getValue().contains(d.get(e.getKey()))) return false;
        return true;
    }

    /** The actions that may stay dead under design d: action -> why. */
    public Map<String, String> exemptions(Design d) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Exemption x : mayNotFire) if (matches(x.when(), d)) out.putIfAbsent(x.action(), x.why());
        return out;
    }

    /** The witnesses that back property p under design d. */
    public List<Witness> witnesses(String p, Design d) {
        List<Witness> out = new ArrayList<>();
        for (Witness w : witnesses) if (w.properties().contains(p) && matches(w.when(), d)) out.add(w);
        return out;
    }

    /** These declarations with a model's own exemptions added. */
    public Vacuity plus(List<Exemption> more) {
        if (more.isEmpty()) return this;
        List<Exemption> all = new ArrayList<>(mayNotFire);
        all.addAll(more);
        return new Vacuity(List.copyOf(all), witnesses);
    }
}
